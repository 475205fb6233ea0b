import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AuditLog } from '../audit/index.js';
import { Hema3nError } from '../errors.js';
import { verifySecret } from '../keys/index.js';
import type { Store } from '../store/index.js';
import type { PinAttempts } from './pin-attempts.js';
import type { CrewSession, SessionRegistry } from './sessions.js';
import { parseInput } from './validation.js';

declare module 'fastify' {
  interface FastifyRequest {
    crew?: CrewSession;
  }
}

const LoginBody = z.strictObject({ crewId: z.uuid(), pin: z.string().regex(/^\d{4,12}$/, 'must be 4 to 12 digits') });

/** The crew member behind a request, or UNAUTHENTICATED. */
export function requireCrew(request: FastifyRequest): CrewSession {
  if (!request.crew) throw new Hema3nError('UNAUTHENTICATED', 'Log in with your crew PIN first');
  return request.crew;
}

export function registerAuth(app: FastifyInstance, deps: { store: Store; audit: AuditLog; sessions: SessionRegistry; pinAttempts: PinAttempts }): void {
  app.addHook('onRequest', async (request) => {
    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7) : (request.query as { access_token?: unknown }).access_token;
    if (typeof token === 'string') request.crew = deps.sessions.touch(token);
  });

  app.post('/api/v1/sessions', async (request, reply) => {
    const { crewId, pin } = parseInput(LoginBody, request.body, 'login');
    const lockedMs = deps.pinAttempts.lockedForMs(crewId);
    if (lockedMs > 0) {
      deps.audit.append({ actor: `crew:${crewId}`, action: 'session.locked', resource: `crew/${crewId}` });
      throw pinLocked(reply, lockedMs);
    }
    const member = deps.store.crew.list().find((m) => m.id === crewId);
    const hash = deps.store.crew.pinHash(crewId);
    if (!member || !hash || !(await verifySecret(hash, pin))) {
      const lockMs = deps.pinAttempts.failed(crewId);
      deps.audit.append({ actor: `crew:${crewId}`, action: 'session.denied', resource: `crew/${crewId}`, ...(lockMs > 0 ? { reason: 'login locked' } : {}) });
      if (lockMs > 0) throw pinLocked(reply, lockMs);
      throw new Hema3nError('UNAUTHENTICATED', 'Unknown crew member or wrong PIN');
    }
    deps.pinAttempts.succeeded(crewId);
    const session = deps.sessions.open(member.id, member.role);
    deps.audit.append({ actor: `crew:${member.id}`, action: 'session.open', resource: `crew/${member.id}` });
    return reply.status(201).send({ token: session.token, crew: member });
  });

  app.delete('/api/v1/sessions/current', async (request, reply) => {
    const crew = requireCrew(request);
    deps.sessions.close(crew.token);
    return reply.status(204).send();
  });
}

function pinLocked(reply: FastifyReply, lockedMs: number): Hema3nError {
  const seconds = Math.ceil(lockedMs / 1000);
  void reply.header('retry-after', String(seconds));
  return new Hema3nError('PIN_LOCKED', `Too many wrong PINs: this login is locked for ${seconds} s`);
}

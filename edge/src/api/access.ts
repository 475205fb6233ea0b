import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AuditLog } from '../audit/index.js';
import { Hema3nError } from '../errors.js';
import type { CrewRole, Store } from '../store/index.js';
import { requireCrew } from './auth.js';
import type { CrewSession } from './sessions.js';
import { parseInput } from './validation.js';

/**
 * Who may do what (docs/TABLET.md, "Roles"):
 * - paramedic: documents and treats the cases in their care; break-glass into another case is read-only.
 * - supervisor: as a paramedic, and break-glass into another case may also write (corrections, addenda).
 * - technician (field technician): devices and the appliance, never PHI: only the routes below.
 */
const CLINICAL_ROLES: ReadonlySet<CrewRole> = new Set(['paramedic', 'supervisor']);
const BREAK_GLASS_WRITERS: ReadonlySet<CrewRole> = new Set(['supervisor']);

/** No session needed: logging in, and the crew list the login screen shows. */
const PUBLIC_ROUTES: ReadonlySet<string> = new Set(['POST /api/v1/sessions', 'GET /api/v1/crew']);

/** Every role: none of these returns or changes PHI (the case list is ids, statuses and times only). */
const NO_PHI_ROUTES: ReadonlySet<string> = new Set([
  'DELETE /api/v1/sessions/current',
  'GET /api/v1/sessions/current',
  'GET /api/v1/cases',
  'GET /api/v1/devices',
  'GET /api/v1/formulary',
  'POST /api/v1/score',
]);

const CASE_ROUTE_PREFIX = '/api/v1/cases/:id';
/** A photo or recording belongs to one case: reading or deleting it is reading or writing that case. */
const MEDIA_ROUTE_PREFIX = '/api/v1/media/:id';
const BREAK_GLASS_ROUTE = 'POST /api/v1/cases/:id/break-glass';
const READ_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD']);

export type CaseAccess = 'care' | 'break-glass';

const BreakGlassBody = z.strictObject({ reason: z.string().trim().min(10, 'must say why, in at least 10 characters').max(500) });
const CaseId = z.strictObject({ id: z.uuid() });

/**
 * Role and care-relationship checks for every /api route, in one place, before any handler runs.
 * Break-glass grants live with the session: locking the tablet or logging out ends them.
 */
export function registerAccessPolicy(app: FastifyInstance, deps: { store: Store; audit: AuditLog }): void {
  const grants = new WeakMap<CrewSession, Set<string>>();

  const caseAccess = (caseId: string, crew: CrewSession): CaseAccess | null => {
    deps.store.cases.summary(caseId);
    if (deps.store.care.inCareOf(caseId, crew.crewId)) return 'care';
    return grants.get(crew)?.has(caseId) ? 'break-glass' : null;
  };

  const caseOf = (route: string, request: FastifyRequest): string | null => {
    const id = uuidParam(request);
    if (!id) return null;
    if (route.startsWith(CASE_ROUTE_PREFIX)) return id;
    if (route.startsWith(MEDIA_ROUTE_PREFIX)) return deps.store.media.get(id)?.caseId ?? null;
    return null;
  };

  const assertCaseAccess = (caseId: string, crew: CrewSession, write: boolean): CaseAccess => {
    const access = caseAccess(caseId, crew);
    if (!access) throw new Hema3nError('BREAK_GLASS_REQUIRED', 'This case is not in your care; open it with break-glass and a reason');
    if (access === 'break-glass' && write && !BREAK_GLASS_WRITERS.has(crew.role)) {
      throw new Hema3nError('FORBIDDEN', 'Break-glass access is read-only for your role');
    }
    return access;
  };

  app.addHook('onRequest', async (request, reply) => {
    const route = request.routeOptions.url;
    if (!route?.startsWith('/api/')) return;
    const key = `${request.method} ${route}`;
    if (PUBLIC_ROUTES.has(key)) return;
    const crew = requireCrew(request);
    if (!NO_PHI_ROUTES.has(key) && !CLINICAL_ROLES.has(crew.role)) {
      throw new Hema3nError('FORBIDDEN', 'Your role does not give access to patient information');
    }
    if (key === BREAK_GLASS_ROUTE) return;
    const caseId = caseOf(route, request);
    if (caseId) void reply.header('x-hema3n-access', assertCaseAccess(caseId, crew, !READ_METHODS.has(request.method)));
  });

  // The alert id starts with its case id (clinical/deterioration): acknowledging is a write to that case.
  app.addHook('preHandler', async (request) => {
    if (`${request.method} ${request.routeOptions.url}` !== 'POST /api/v1/alerts/acknowledge') return;
    const alertId = (request.body as { alertId?: unknown } | undefined)?.alertId;
    const caseId = typeof alertId === 'string' ? alertId.split('/')[0] : undefined;
    if (caseId && z.uuid().safeParse(caseId).success) assertCaseAccess(caseId, requireCrew(request), true);
  });

  app.post('/api/v1/cases/:id/break-glass', async (request) => {
    const crew = requireCrew(request);
    const { id } = parseInput(CaseId, request.params, 'case id');
    const { reason } = parseInput(BreakGlassBody, request.body, 'break-glass');
    if (caseAccess(id, crew) === 'care') return { caseId: id, access: 'care', readOnly: false };
    deps.audit.append({ actor: `crew:${crew.crewId}`, action: 'break-glass', resource: `case/${id}`, reason });
    const set = grants.get(crew) ?? new Set<string>();
    set.add(id);
    grants.set(crew, set);
    return { caseId: id, access: 'break-glass', readOnly: !BREAK_GLASS_WRITERS.has(crew.role) };
  });

  // The login screen lists the crew to pick from; names and roles of staff, no patient data.
  app.get('/api/v1/crew', async () => deps.store.crew.list().map(({ id, name, role }) => ({ id, name, role })));

  app.get('/api/v1/sessions/current', async (request) => {
    const crew = requireCrew(request);
    const member = deps.store.crew.list().find((m) => m.id === crew.crewId);
    return { crew: member ? { id: member.id, name: member.name, role: member.role } : null, breakGlass: [...(grants.get(crew) ?? [])] };
  });
}

/** The :id of the route when it is a well-formed id; the handler reports a malformed one. */
function uuidParam(request: FastifyRequest): string | null {
  const id = (request.params as { id?: unknown }).id;
  return typeof id === 'string' && z.uuid().safeParse(id).success ? id : null;
}

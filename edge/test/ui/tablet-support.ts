import { hashSecret } from '../../src/keys/index.js';
import type { CrewRole } from '../../src/store/index.js';
import type { TestAppliance } from '../support/appliance.js';

/** A parsed JSON answer. Assertions check its shape field by field; a static type would only restate them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface Answer {
  status: number;
  body: Json;
  headers: Headers;
}

/** Registers a crew member with a PIN and logs them in over the API, as the tablet does. */
export async function crewSession(t: TestAppliance, name: string, role: CrewRole, pin = '4826'): Promise<{ id: string; token: string }> {
  const member = t.appliance.store.store.crew.add({ name, role, pinHash: await hashSecret(pin, 'crewPin'), now: Date.now() });
  const answer = await call(t, null, 'POST', '/api/v1/sessions', { crewId: member.id, pin });
  if (answer.status !== 201) throw new Error(`login failed: ${answer.status}`);
  return { id: member.id, token: answer.body.token as string };
}

export async function call(t: TestAppliance, token: string | null, method: string, path: string, body?: unknown): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${t.httpUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const type = response.headers.get('content-type') ?? '';
  const parsed = type.includes('json') ? await response.json() : await response.text();
  return { status: response.status, body: parsed, headers: response.headers };
}

export function auditRows(t: TestAppliance, action: string): Array<{ actor: string; resource: string; reason: string | null }> {
  return t.appliance.store.store.db.prepare('SELECT actor, resource, reason FROM audit WHERE action = ? ORDER BY id').all(action) as Array<{
    actor: string;
    resource: string;
    reason: string | null;
  }>;
}

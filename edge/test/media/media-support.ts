import { afterEach } from 'vitest';
import { hashSecret } from '../../src/keys/index.js';
import { startTestAppliance, type TestAppliance } from '../support/appliance.js';
import { useTempDirs } from '../support/temp.js';

export interface MediaAppliance extends TestAppliance {
  readonly stateDir: string;
  readonly crewId: string;
  readonly token: string;
  readonly caseId: string;
  /** GET/DELETE with the crew's bearer token. */
  api(method: string, path: string): Promise<Response>;
  /** A real multipart upload, as the tablet's browser sends it. */
  upload(caseId: string, bytes: Buffer, contentType: string, filename: string): Promise<Response>;
  mediaRows(): number;
}

/** One real appliance per test (stopped and its state dir removed afterwards). */
export function useMediaAppliance(): (env?: Record<string, string>) => Promise<MediaAppliance> {
  const tempDir = useTempDirs();
  const running: TestAppliance[] = [];
  afterEach(async () => {
    for (const t of running.splice(0)) await t.stop();
  });
  return async (env = {}) => {
    const t = await startMediaAppliance(tempDir(), env);
    running.push(t);
    return t;
  };
}

/** The real appliance with a logged-in paramedic and an open (active) case. */
export async function startMediaAppliance(stateDir: string, env: Record<string, string> = {}): Promise<MediaAppliance> {
  const t = await startTestAppliance(stateDir, env);
  const store = t.appliance.store.store;
  const member = store.crew.add({ name: 'Ada', role: 'paramedic', pinHash: await hashSecret('1357', 'crewPin'), now: Date.now() });
  const login = await fetch(`${t.httpUrl}/api/v1/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ crewId: member.id, pin: '1357' }),
  });
  const { token } = (await login.json()) as { token: string };
  const { id: caseId } = store.cases.create({ actor: 'test', now: Date.now() });
  const auth = { authorization: `Bearer ${token}` };
  return {
    ...t,
    stateDir,
    crewId: member.id,
    token,
    caseId,
    api: (method, path) => fetch(`${t.httpUrl}${path}`, { method, headers: auth }),
    upload: (id, bytes, contentType, filename) => {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(bytes)], { type: contentType }), filename);
      return fetch(`${t.httpUrl}/api/v1/cases/${id}/media`, { method: 'POST', headers: auth, body: form });
    },
    mediaRows: () => (store.db.prepare('SELECT count(*) AS n FROM media').get() as { n: number }).n,
  };
}

/** The audit trail as (actor, action, resource) rows. */
export function auditRows(t: TestAppliance): Array<{ actor: string; action: string; resource: string; reason: string | null }> {
  return t.appliance.store.store.db.prepare('SELECT actor, action, resource, reason FROM audit ORDER BY id').all() as Array<{
    actor: string;
    action: string;
    resource: string;
    reason: string | null;
  }>;
}

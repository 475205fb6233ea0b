import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { databasePath } from '../../src/store/index.js';
import { runHema3n } from '../support/cli.js';
import { startDaemon } from '../support/daemon.js';
import { randomKeyHex, useTempDirs } from '../support/temp.js';

const tempDir = useTempDirs();

const PHI = { givenName: 'Ottoline', familyName: 'Wrexham-Pryce', birthDate: '1948-02-29', allergy: 'penicillamine-xyz', incident: 'INC-93847561' };

async function api(base: string, method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null };
}

describe('hema3n start (the daemon)', () => {
  it('serves /health with per-part readiness and bound ports, and /metrics in Prometheus text', async () => {
    const daemon = await startDaemon({ HEMA3N_STATE_DIR: tempDir(), HEMA3N_DB_KEY: randomKeyHex() });
    try {
      const health = await api(daemon.baseUrl, 'GET', '/health');
      expect(health.status).toBe(200);
      expect(health.json).toMatchObject({
        ready: true,
        parts: { store: { ready: true, keyProvider: 'env' }, audit: { ready: true, chainOk: true }, api: { ready: true, port: daemon.httpPort } },
        ports: { http: daemon.httpPort },
      });
      const metrics = await fetch(`${daemon.baseUrl}/metrics`);
      expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0.0.4/);
      expect(await metrics.text()).toMatch(/^# HELP hema3n_process_cpu_user_seconds_total/m);
    } finally {
      expect(await daemon.stop()).toBe(0);
    }
  });

  it('audits every PHI read and write through the API and never logs PHI, even at trace level', async () => {
    const dir = tempDir();
    const key = randomKeyHex();
    const env = { HEMA3N_STATE_DIR: dir, HEMA3N_DB_KEY: key };
    const crew = JSON.parse((await runHema3n(['crew', 'add', 'Ada', '--role', 'paramedic', '--pin', '2468', '--json'], env)).stdout) as { id: string };
    const daemon = await startDaemon({ ...env, HEMA3N_LOG_LEVEL: 'trace' });
    try {
      const denied = await api(daemon.baseUrl, 'POST', '/api/v1/sessions', { crewId: crew.id, pin: '0000' });
      expect(denied.status).toBe(401);
      expect(denied.json).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
      const login = await api(daemon.baseUrl, 'POST', '/api/v1/sessions', { crewId: crew.id, pin: '2468' });
      const token = (login.json as { token: string }).token;
      expect((await api(daemon.baseUrl, 'GET', '/api/v1/cases')).status).toBe(401);

      const created = await api(daemon.baseUrl, 'POST', '/api/v1/cases', { incidentNumber: PHI.incident }, token);
      expect(created.status).toBe(201);
      const caseId = (created.json as { id: string }).id;
      const patch = { givenName: PHI.givenName, familyName: PHI.familyName, birthDate: PHI.birthDate, allergies: [PHI.allergy] };
      expect((await api(daemon.baseUrl, 'PATCH', `/api/v1/cases/${caseId}/patient`, patch, token)).status).toBe(200);
      const bad = await api(daemon.baseUrl, 'PATCH', `/api/v1/cases/${caseId}/patient`, { givenName: 5, birthDate: PHI.familyName }, token);
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.json)).not.toContain(PHI.familyName);
      expect((bad.json as { issues: { field: string }[] }).issues.map((i) => i.field).sort()).toEqual(['birthDate', 'givenName']);
      const read = await api(daemon.baseUrl, 'GET', `/api/v1/cases/${caseId}`, undefined, token);
      expect(read.json).toMatchObject({ id: caseId, patient: { givenName: PHI.givenName, unidentified: false, allergies: [PHI.allergy] } });
      expect((await api(daemon.baseUrl, 'POST', `/api/v1/cases/${caseId}/status`, { status: 'en_route' }, token)).status).toBe(200);
    } finally {
      expect(await daemon.stop()).toBe(0);
    }
    for (const value of Object.values(PHI)) expect(daemon.logs()).not.toContain(value);
    expect(daemon.logs()).toMatch(/"method":"PATCH","route":"\/api\/v1\/cases\/:id\/patient","status":200/);

    const audit = await runHema3n(['audit', 'verify', '--json'], env);
    expect(JSON.parse(audit.stdout)).toMatchObject({ ok: true });
    const { stdout } = await runHema3n(['db', 'verify', '--json'], env);
    expect(JSON.parse(stdout).audit.entries).toBeGreaterThanOrEqual(8);
  });

  it('drains on SIGTERM and SIGINT with exit 0, checkpointing the WAL into the database file', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const dir = tempDir();
      const daemon = await startDaemon({ HEMA3N_STATE_DIR: dir, HEMA3N_DB_KEY: randomKeyHex() });
      expect(await daemon.stop(signal)).toBe(0);
      const wal = `${databasePath(dir)}-wal`;
      expect(!existsSync(wal) || statSync(wal).size === 0).toBe(true);
      expect(daemon.logs()).toMatch(/"part":"store".*"msg":"part stopped"/);
    }
  });

  it('exits with the documented code when it cannot start: wrong key 74, invalid config 78', async () => {
    const dir = tempDir();
    await runHema3n(['cases', 'create'], { HEMA3N_STATE_DIR: dir, HEMA3N_DB_KEY: randomKeyHex() });
    const wrongKey = await runHema3n(['start'], { HEMA3N_STATE_DIR: dir, HEMA3N_DB_KEY: randomKeyHex(), HEMA3N_HTTP_PORT: '0' });
    expect(wrongKey.code).toBe(74);
    expect(wrongKey.stderr).toContain('DB_KEY_WRONG');
    const badConfig = await runHema3n(['start'], { HEMA3N_STATE_DIR: dir, HEMA3N_HTTP_PORT: 'eighty' });
    expect(badConfig.code).toBe(78);
  });

  it('tells systemd READY, STATUS and STOPPING over NOTIFY_SOCKET', async () => {
    const dir = tempDir();
    const socketPath = join(dir, 'notify.sock');
    const listener = spawn('python3', ['-c', NOTIFY_LISTENER, socketPath]);
    let received = '';
    listener.stdout.on('data', (d: Buffer) => (received += d.toString()));
    await waitFor(() => existsSync(socketPath));
    const daemon = await startDaemon({ HEMA3N_STATE_DIR: dir, HEMA3N_DB_KEY: randomKeyHex(), NOTIFY_SOCKET: socketPath });
    await waitFor(() => received.includes('READY=1'));
    expect(await daemon.stop()).toBe(0);
    await waitFor(() => received.includes('STOPPING=1'));
    listener.kill();
    expect(received).toMatch(/STATUS=serving http=\d+/);
  });
});

/** A minimal sd_notify receiver: prints each datagram on its own line. */
const NOTIFY_LISTENER = `
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
while True:
    print(s.recv(4096).decode().replace("\\n", " "), flush=True)
`;

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

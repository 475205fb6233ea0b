import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runHema3n } from '../support/cli.js';
import { startDaemon, type RunningDaemon } from '../support/daemon.js';
import { useTempDirs } from '../support/temp.js';
import { boxIn, provisionBox, unitEnv } from './helpers.js';

const tempDir = useTempDirs();
let daemon: RunningDaemon | undefined;
let squatter: Server | undefined;

afterEach(async () => {
  await daemon?.stop();
  daemon = undefined;
  await new Promise<void>((resolve) => (squatter ? squatter.close(() => resolve()) : resolve()));
  squatter = undefined;
});

function listening(port = 0): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port }, () => resolve(server));
  });
}

async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: count }, () => listening()));
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

async function provisioned(): Promise<ReturnType<typeof boxIn>> {
  const box = boxIn(tempDir());
  const run = await provisionBox(box);
  expect(run.code, run.stderr).toBe(0);
  return box;
}

interface Check {
  name: string;
  ok: boolean;
  detail: string;
  fix: string;
}

describe('hema3n doctor and the ports', () => {
  it('accepts the ports the running daemon holds, asking it over HTTPS with the appliance certificate', async () => {
    const box = await provisioned();
    const [http, mqtt, tls] = await freePorts(3);
    const env = unitEnv(box, { HEMA3N_HTTP_PORT: String(http), HEMA3N_MQTT_PORT: String(mqtt), HEMA3N_MQTT_TLS_PORT: String(tls) });
    daemon = await startDaemon(env);
    const run = await runHema3n(['doctor', '--json'], env);
    const checks = (JSON.parse(run.stdout) as { checks: Check[] }).checks.filter((c) => c.name.endsWith('port'));
    expect(checks).toEqual([
      { name: 'http port', ok: true, level: 'ok', detail: `127.0.0.1:${http} is held by the running daemon (ready)`, fix: '' },
      { name: 'mqtt port', ok: true, level: 'ok', detail: `127.0.0.1:${mqtt} is held by the running daemon (ready)`, fix: '' },
      { name: 'mqtt tls port', ok: true, level: 'ok', detail: `127.0.0.1:${tls} is held by the running daemon (ready)`, fix: '' },
    ]);
    expect(run.code, run.stdout).toBe(0);
  });

  it('fails a port another process holds, saying how to find it and which setting moves the appliance', async () => {
    const box = await provisioned();
    squatter = await listening();
    const port = (squatter.address() as { port: number }).port;
    const run = await runHema3n(['doctor', '--json'], unitEnv(box, { HEMA3N_MQTT_PORT: String(port) }));
    const check = (JSON.parse(run.stdout) as { checks: Check[] }).checks.find((c) => c.name === 'mqtt port');
    expect(check).toMatchObject({ ok: false, detail: `127.0.0.1:${port} is held by another process`, fix: expect.stringContaining('HEMA3N_MQTT_PORT') });
    expect(run.code).toBe(69);
  });
});

import { describe, expect, it } from 'vitest';
import { databasePath, openDatabase } from '../../src/store/index.js';
import { runHema3n } from '../support/cli.js';
import { startDaemon } from '../support/daemon.js';
import { connectDevice } from '../support/mqtt.js';
import { randomKeyHex, useTempDirs } from '../support/temp.js';

const tempDir = useTempDirs();
const MEASUREMENTS = [
  { code: 'HR', unit: '/min' },
  { code: 'RR', unit: '/min' },
  { code: 'SPO2', unit: '%' },
];

function payload(seq: number): string {
  return JSON.stringify({ seq, ts: Date.now(), measurements: MEASUREMENTS.map((m, i) => ({ ...m, value: 60 + ((seq + i) % 30) })) });
}

async function mqttPort(httpUrl: string): Promise<number> {
  return ((await (await fetch(`${httpUrl}/health`)).json()) as { ports: { mqtt: number } }).ports.mqtt;
}

describe('durable acknowledgement', () => {
  it('keeps every acknowledged sample exactly once across kill -9 at random moments', async () => {
    const dir = tempDir();
    const key = randomKeyHex();
    const env = { HEMA3N_STATE_DIR: dir, HEMA3N_DB_KEY: key };
    const device = JSON.parse((await runHema3n(['devices', 'add', 'mon-k', '--kind', 'monitor', '--json'], env)).stdout) as { id: string; secret: string };
    const acked = new Set<number>();
    let nextSeq = 1;

    for (let round = 0; round < 3; round++) {
      const daemon = await startDaemon(env);
      const client = await connectDevice(`mqtt://127.0.0.1:${await mqttPort(daemon.baseUrl)}`, device.id, device.secret);
      client.on('error', () => {});
      // A device resends what was never acknowledged, then carries on.
      const resend = Array.from({ length: nextSeq - 1 }, (_, i) => i + 1).filter((s) => !acked.has(s));
      const killAt = Date.now() + 200 + Math.random() * 800;
      let sending = true;
      const publisher = (async () => {
        const queue = [...resend];
        while (sending) {
          const seq = queue.shift() ?? nextSeq++;
          client.publish(`hema3n/v1/devices/${device.id}/vitals`, payload(seq), { qos: 1 }, (err) => {
            if (!err) acked.add(seq);
          });
          await new Promise((r) => setImmediate(r));
        }
      })();
      while (Date.now() < killAt) await new Promise((r) => setTimeout(r, 10));
      daemon.child.kill('SIGKILL');
      await daemon.exited;
      sending = false;
      await publisher;
      client.end(true);
    }

    expect(acked.size).toBeGreaterThan(100);
    const db = openDatabase({ path: databasePath(dir), key: Buffer.from(key, 'hex'), readonly: true });
    const rows = db.prepare('SELECT seq, count(*) AS n, count(DISTINCT code) AS codes FROM vital_signs GROUP BY seq').all() as Array<{ seq: number; n: number; codes: number }>;
    db.close();
    const stored = new Map(rows.map((r) => [r.seq, r]));
    const lost = [...acked].filter((seq) => !stored.has(seq));
    expect(lost).toEqual([]);
    expect(rows.every((r) => r.n === MEASUREMENTS.length && r.codes === MEASUREMENTS.length)).toBe(true);
  }, 120_000);
});

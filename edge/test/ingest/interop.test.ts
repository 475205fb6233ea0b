import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestAppliance, type TestAppliance } from '../support/appliance.js';
import { waitUntil } from '../support/mqtt.js';
import { useTempDirs } from '../support/temp.js';

const run = promisify(execFile);
const tempDir = useTempDirs();
let running: TestAppliance | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

/** Debian's mosquitto clients: an MQTT implementation that shares no code with ours. */
function mosquittoArgs(t: TestAppliance, id: string, secret: string): string[] {
  const port = new URL(t.mqttUrl).port;
  return ['-h', '127.0.0.1', '-p', port, '-u', id, '-P', secret, '-V', 'mqttv311'];
}

describe('interop with mosquitto_pub and mosquitto_sub', () => {
  it('stores a QoS 1 sample from mosquitto_pub before mosquitto_pub sees its PUBACK and exits', async () => {
    running = await startTestAppliance(tempDir());
    const dev = await running.addDevice('bp-7', 'bp-cuff');
    const payload = JSON.stringify({ seq: 1, ts: new Date().toISOString(), measurements: [{ code: 'SBP', value: 16, unit: 'kPa' }, { code: 'DBP', value: 10, unit: 'kPa' }] });
    await run('mosquitto_pub', [...mosquittoArgs(running, dev.id, dev.secret), '-i', 'bp-7-pub', '-q', '1', '-t', 'hema3n/v1/devices/bp-7/vitals', '-m', payload]);
    const rows = running.appliance.store.store.db.prepare('SELECT code, round(value) AS mmHg FROM vital_signs ORDER BY code').all();
    expect(rows).toEqual([{ code: 'DBP', mmHg: 75 }, { code: 'SBP', mmHg: 120 }]);
  });

  it('delivers the rejection reply to mosquitto_sub and refuses a wrong password', async () => {
    running = await startTestAppliance(tempDir());
    const dev = await running.addDevice('spo2-3', 'pulse-oximeter');
    const sub = spawn('mosquitto_sub', [...mosquittoArgs(running, dev.id, dev.secret), '-i', 'spo2-3-sub', '-q', '1', '-C', '1', '-W', '20', '-t', 'hema3n/v1/devices/spo2-3/replies']);
    let out = '';
    sub.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await waitUntil(() => running!.appliance.ingest.describe().clients === 1);
    const bad = JSON.stringify({ seq: 2, ts: Date.now(), measurements: [{ code: 'SPO2', value: 140, unit: '%' }] });
    await run('mosquitto_pub', [...mosquittoArgs(running, dev.id, dev.secret), '-i', 'spo2-3-pub', '-q', '1', '-t', 'hema3n/v1/devices/spo2-3/vitals', '-m', bad]);
    const code = await new Promise<number | null>((resolve) => sub.on('close', resolve));
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ type: 'rejected', code: 'MEASUREMENT_IMPOSSIBLE', seq: 2 });
    expect(out).not.toContain('140');

    const refused = await run('mosquitto_pub', [...mosquittoArgs(running, dev.id, 'wrong'), '-q', '1', '-t', 'hema3n/v1/devices/spo2-3/vitals', '-m', '{}']).catch((e: { code: number; stderr: string }) => e);
    expect((refused as { code: number }).code).not.toBe(0);
    expect((refused as { stderr: string }).stderr).toMatch(/not authori[sz]ed|bad user name or password/i);
  });
});

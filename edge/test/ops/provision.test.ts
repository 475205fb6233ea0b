import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runHema3n } from '../support/cli.js';
import { useTempDirs } from '../support/temp.js';
import { actions, boxIn, DEV_FLEET_KEY, provisioned, rosterFile, snapshot, unitEnv } from './helpers.js';

const tempDir = useTempDirs();

describe('hema3n provision', () => {
  it('makes a blank box an appliance: identity, 0600 database key, certificate, model, roster and the env file the units read', async () => {
    const dir = tempDir();
    const box = boxIn(dir);
    const report = await provisioned(box, ['--roster', rosterFile(dir)]);
    expect(report.changed).toBe(true);
    expect(actions(report)).toEqual({
      'fleet key': 'created', 'database key': 'created', identity: 'created', 'crew and devices': 'created', certificate: 'created', model: 'created', 'env file': 'created',
    });
    expect(report.devices).toEqual([
      { id: 'spo2-1', kind: 'pulse-oximeter', action: 'created', secret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) },
      { id: 'cam-1', kind: 'camera', action: 'created', secret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) },
    ]);
    expect(report.crew).toEqual([{ id: expect.any(String), name: 'Ada Medic', role: 'paramedic', action: 'created' }]);
    expect(statSync(join(box.stateDir, 'db.key')).mode & 0o777).toBe(0o600);
    expect(statSync(report.certificate.keyFile).mode & 0o777).toBe(0o600);
    const env = readFileSync(box.envFile, 'utf8');
    for (const line of [
      'HEMA3N_MODE=production', `HEMA3N_STATE_DIR=${box.stateDir}`, 'HEMA3N_DB_KEY_PROVIDER=file', `HEMA3N_DB_KEY_FILE=${join(box.stateDir, 'db.key')}`,
      `HEMA3N_FLEET_PUBLIC_KEY=${DEV_FLEET_KEY}`, `HEMA3N_MODEL_DIR=${join(box.stateDir, 'models', 'current')}`, 'HEMA3N_MQTT_TLS_PORT=8883',
      `HEMA3N_MQTT_TLS_CERT_FILE=${report.certificate.certFile}`, `HEMA3N_HTTP_TLS_KEY_FILE=${report.certificate.keyFile}`,
    ]) expect(env).toContain(`${line}\n`);
    // The daemon's own code paths, in production mode, read what provisioning wrote.
    const identity = await runHema3n(['identity', '--json'], unitEnv(box));
    expect(JSON.parse(identity.stdout)).toEqual({ applianceId: report.applianceId, signPublicKey: report.signPublicKey, boxPublicKey: expect.any(String) });
    const devices = JSON.parse((await runHema3n(['devices', 'list', '--json'], unitEnv(box))).stdout) as { id: string }[];
    expect(devices.map((d) => d.id)).toEqual(['cam-1', 'spo2-1']);
  });

  it('changes nothing on a second run with the same inputs, says so, and prints no device secret again', async () => {
    const dir = tempDir();
    const box = boxIn(dir);
    const roster = rosterFile(dir);
    const first = await provisioned(box, ['--roster', roster]);
    const before = snapshot(box);
    const second = await provisioned(box, ['--roster', roster]);
    expect(second.changed).toBe(false);
    expect(new Set(Object.values(actions(second)))).toEqual(new Set(['unchanged']));
    expect(second.devices.every((d) => d.action === 'unchanged' && d.secret === undefined)).toBe(true);
    expect(second.crew.map((c) => c.id)).toEqual(first.crew.map((c) => c.id));
    expect(second.applianceId).toBe(first.applianceId);
    expect(second.certificate.fingerprint256).toBe(first.certificate.fingerprint256);
    expect(snapshot(box)).toEqual(before);
    const human = await runHema3n(['provision', '--env-path', box.envFile, '--roster', roster], { HEMA3N_STATE_DIR: box.stateDir });
    expect(human.stdout).toContain('nothing changed');
    expect(snapshot(box)).toEqual(before);
  });
});

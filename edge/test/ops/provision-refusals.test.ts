import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonError } from '../support/cli.js';
import { randomKeyHex, useTempDirs } from '../support/temp.js';
import { actions, boxIn, newFleetKeys, provisionBox, provisioned, rosterFile, snapshot } from './helpers.js';

const tempDir = useTempDirs();

describe('hema3n provision refusing', () => {
  it('refuses to replace the fleet key without --replace-fleet-key, changing nothing, and replaces it with the flag', async () => {
    const box = boxIn(tempDir());
    await provisioned(box);
    const before = snapshot(box);
    const other = await newFleetKeys();
    const refused = await provisionBox(box, ['--fleet-key', other.publicKey]);
    expect(refused.code).toBe(75);
    expect(jsonError(refused)).toMatchObject({ code: 'PROVISION_WOULD_REPLACE', message: expect.stringContaining('--replace-fleet-key') });
    expect(snapshot(box)).toEqual(before);
    const replaced = await provisioned(box, ['--fleet-key', other.publicKey, '--replace-fleet-key']);
    expect(actions(replaced)['fleet key']).toBe('replaced');
    expect(replaced.warnings).toEqual([expect.stringMatching(/^the installed model does not verify with the fleet key \(MODEL_SIGNATURE_INVALID\)/)]);
    expect(readFileSync(box.envFile, 'utf8')).toContain(`HEMA3N_FLEET_PUBLIC_KEY=${other.publicKey}\n`);
  });
  it('stops with DB_KEY_WRONG when the key file does not open the existing database, and touches nothing', async () => {
    const box = boxIn(tempDir());
    await provisioned(box);
    writeFileSync(join(box.stateDir, 'db.key'), `${randomKeyHex()}\n`, { mode: 0o600 });
    const before = snapshot(box);
    const run = await provisionBox(box);
    expect(run.code).toBe(74);
    expect(jsonError(run).code).toBe('DB_KEY_WRONG');
    expect(snapshot(box)).toEqual(before);
  });

  it('refuses an invalid roster, naming every bad field, before touching anything', async () => {
    const dir = tempDir();
    const box = boxIn(dir);
    const run = await provisionBox(box, ['--roster', rosterFile(dir, { crew: [{ name: 'Ben', role: 'pilot', pin: '12' }], devices: [{ id: 'x y', kind: 'toaster' }] })]);
    expect(run.code).toBe(65);
    const fields = (jsonError(run).issues ?? []).map((i) => i.field).sort();
    expect(fields).toEqual(['crew.0.pin', 'crew.0.role', 'devices.0.id', 'devices.0.kind']);
    expect(() => statSync(box.stateDir)).toThrow();
  });
});

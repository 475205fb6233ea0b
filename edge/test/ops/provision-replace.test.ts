import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { databasePath, openDatabase } from '../../src/store/index.js';
import { runHema3n } from '../support/cli.js';
import { useTempDirs } from '../support/temp.js';
import { actions, boxIn, provisioned, rosterFile, unitEnv } from './helpers.js';

const tempDir = useTempDirs();

describe('hema3n provision replacing things', () => {
  it('keeps the identity unless --rotate-identity, which also renews the certificate naming it', async () => {
    const box = boxIn(tempDir());
    const first = await provisioned(box);
    const rotated = await provisioned(box, ['--rotate-identity']);
    expect(actions(rotated)).toMatchObject({ identity: 'replaced', certificate: 'replaced', 'database key': 'unchanged' });
    expect(rotated.applianceId).not.toBe(first.applianceId);
    expect(rotated.certificate.fingerprint256).not.toBe(first.certificate.fingerprint256);
    const identity = JSON.parse((await runHema3n(['identity', '--json'], unitEnv(box))).stdout) as { applianceId: string };
    expect(identity.applianceId).toBe(rotated.applianceId);
  });

  it('re-encrypts the database on --rekey: the old key no longer opens it, and the crew are still there', async () => {
    const dir = tempDir();
    const box = boxIn(dir);
    await provisioned(box, ['--roster', rosterFile(dir)]);
    const keyFile = join(box.stateDir, 'db.key');
    const oldKey = readFileSync(keyFile, 'utf8').trim();
    const rekeyed = await provisioned(box, ['--rekey']);
    expect(actions(rekeyed)['database key']).toBe('replaced');
    const newKey = readFileSync(keyFile, 'utf8').trim();
    expect(newKey).toMatch(/^[0-9a-f]{64}$/);
    expect(newKey).not.toBe(oldKey);
    expect(() => openDatabase({ path: databasePath(box.stateDir), key: Buffer.from(oldKey, 'hex') })).toThrow(expect.objectContaining({ code: 'DB_KEY_WRONG' }));
    const crew = JSON.parse((await runHema3n(['crew', 'list', '--json'], unitEnv(box))).stdout) as { name: string }[];
    expect(crew.map((c) => c.name)).toEqual(['Ada Medic']);
    const verify = await runHema3n(['audit', 'verify', '--json'], unitEnv(box));
    expect(verify.code, verify.stderr).toBe(0);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { databasePath, openDatabase } from '../../src/store/index.js';
import { runHema3n } from '../support/cli.js';
import { useTempDirs } from '../support/temp.js';
import { actions, boxIn, snapshot, unitEnv } from './helpers.js';
import { fakeTpm, provisionTpm, tools } from './tpm-stand-in.js';

const tempDir = useTempDirs();

describe('hema3n provision --key-provider tpm2 on a provisioned box', () => {
  it('unseals the existing key on a second run and seals nothing', async () => {
    const dir = tempDir();
    const box = boxIn(dir);
    const tpm = fakeTpm(dir);
    await provisionTpm(box, tpm);
    const before = { ...snapshot(box), handles: tpm.handles(), sealed: tpm.sealed('0x81000100') };
    const callsBefore = tpm.calls().length;
    const again = await provisionTpm(box, tpm);
    expect(again.changed).toBe(false);
    expect(new Set(tools(tpm.calls().slice(callsBefore)))).toEqual(new Set(['tpm2_unseal']));
    expect({ ...snapshot(box), handles: tpm.handles(), sealed: tpm.sealed('0x81000100') }).toEqual(before);
  });

  it('on --rekey seals the new key at the other handle, re-encrypts, evicts the old handle and points the env file at the new one', async () => {
    const dir = tempDir();
    const box = boxIn(dir);
    const tpm = fakeTpm(dir);
    await provisionTpm(box, tpm);
    const oldKey = tpm.sealed('0x81000100');
    const rekeyed = await provisionTpm(box, tpm, ['--rekey']);
    expect(actions(rekeyed)).toMatchObject({ 'database key': 'replaced', 'env file': 'replaced' });
    expect(tpm.handles()).toEqual(['0x81000101']);
    expect(readFileSync(box.envFile, 'utf8')).toContain('HEMA3N_TPM2_SEALED_KEY=0x81000101\n');
    expect(() => openDatabase({ path: databasePath(box.stateDir), key: Buffer.from(oldKey, 'hex') })).toThrow(expect.objectContaining({ code: 'DB_KEY_WRONG' }));
    const verify = await runHema3n(['db', 'verify', '--json'], unitEnv(box, tpm.env));
    expect(verify.code, verify.stderr).toBe(0);
  });
});

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonError, runHema3n } from '../support/cli.js';
import { useTempDirs } from '../support/temp.js';
import { actions, boxIn, provisionBox, unitEnv } from './helpers.js';
import { fakeTpm, provisionTpm, tools } from './tpm-stand-in.js';

const tempDir = useTempDirs();

describe('hema3n provision --key-provider tpm2', () => {
  it('seals the key with tpm2-tools at a persistent handle (never on a command line), and the daemon key provider opens the database with it', async () => {
    const dir = tempDir();
    const box = boxIn(dir);
    const tpm = fakeTpm(dir);
    const report = await provisionTpm(box, tpm);
    expect(actions(report)['database key']).toBe('created');
    const calls = tpm.calls();
    expect(tools(calls)).toEqual(['tpm2_unseal', 'tpm2_createprimary', 'tpm2_create', 'tpm2_load', 'tpm2_evictcontrol', 'tpm2_unseal']);
    expect(calls[1]).toMatch(/^tpm2_createprimary -C o -g sha256 -G ecc -c \S+primary\.ctx$/);
    expect(calls[2]).toMatch(/^tpm2_create -C \S+primary\.ctx -g sha256 -i - -u \S+seal\.pub -r \S+seal\.priv$/);
    expect(calls[4]).toMatch(/^tpm2_evictcontrol -C o -c \S+seal\.ctx 0x81000100$/);
    const sealed = tpm.sealed('0x81000100');
    expect(sealed).toMatch(/^[0-9a-f]{64}$/);
    expect(calls.join('\n')).not.toContain(sealed);
    const env = readFileSync(box.envFile, 'utf8');
    expect(env).toContain('HEMA3N_DB_KEY_PROVIDER=tpm2\nHEMA3N_TPM2_SEALED_KEY=0x81000100\n');
    expect(env).not.toContain('HEMA3N_DB_KEY_FILE');
    expect(existsSync(join(box.stateDir, 'db.key'))).toBe(false);
    const identity = await runHema3n(['identity', '--json'], unitEnv(box, tpm.env));
    expect(JSON.parse(identity.stdout)).toMatchObject({ applianceId: report.applianceId });
  });

  it('gives tpm2-tools the owner hierarchy auth as a file reference, never the value', async () => {
    const dir = tempDir();
    const box = boxIn(dir);
    const tpm = fakeTpm(dir);
    const authFile = join(dir, 'owner.auth');
    writeFileSync(authFile, 'owner-secret-value', { mode: 0o600 });
    await provisionTpm(box, tpm, ['--tpm2-owner-auth-file', authFile]);
    const calls = tpm.calls();
    expect(calls.filter((c) => c.includes(`-P file:${authFile}`)).map((c) => c.split(' ')[0])).toEqual(['tpm2_createprimary', 'tpm2_evictcontrol']);
    expect(calls.join('\n')).not.toContain('owner-secret-value');
  });

  it('says tpm2-tools are missing when they are, and writes nothing', async () => {
    const box = boxIn(tempDir());
    const run = await provisionBox(box, ['--key-provider', 'tpm2'], { PATH: '/nonexistent' });
    expect(run.code).toBe(74);
    expect(jsonError(run)).toMatchObject({ code: 'DB_KEY_PROVIDER_FAILED', message: expect.stringContaining('tpm2_unseal is not installed') });
    expect(existsSync(box.envFile)).toBe(false);
  });
});

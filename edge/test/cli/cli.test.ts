import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE } from '../../src/errors.js';
import { databasePath, openDatabase } from '../../src/store/index.js';
import { jsonError, runHema3n } from '../support/cli.js';
import { randomKeyHex, useTempDirs } from '../support/temp.js';

const tempDir = useTempDirs();

function envFor(dir: string, key = randomKeyHex()): Record<string, string> {
  return { HEMA3N_STATE_DIR: dir, HEMA3N_DB_KEY: key };
}

describe('hema3n CLI', () => {
  it('prints one JSON value for cases create and cases list, and the new case is active', async () => {
    const env = envFor(tempDir());
    const created = await runHema3n(['cases', 'create', '--incident', 'INC-1', '--json'], env);
    expect(created.code).toBe(0);
    const summary = JSON.parse(created.stdout) as { id: string; status: string };
    expect(summary.status).toBe('dispatched');
    const listed = await runHema3n(['cases', 'list', '--json'], env);
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ id: summary.id, status: 'dispatched', acuity: null })]);
  });

  it('adds crew and devices, printing the device secret once and storing only its Argon2id hash', async () => {
    const dir = tempDir();
    const key = randomKeyHex();
    const env = envFor(dir, key);
    const crew = JSON.parse((await runHema3n(['crew', 'add', 'Ada', 'Medic', '--role', 'paramedic', '--pin', '4821', '--json'], env)).stdout);
    expect(crew).toEqual({ id: expect.any(String), name: 'Ada Medic', role: 'paramedic' });
    const device = JSON.parse((await runHema3n(['devices', 'add', 'spo2-7', '--kind', 'pulse-oximeter', '--json'], env)).stdout);
    expect(device).toEqual({ id: 'spo2-7', kind: 'pulse-oximeter', secret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    const db = openDatabase({ path: databasePath(dir), key: Buffer.from(key, 'hex'), readonly: true });
    const row = db.prepare('SELECT secret_hash AS h FROM devices').get() as { h: string };
    db.close();
    expect(row.h).toMatch(/^\$argon2id\$/);
    expect(row.h).not.toContain(device.secret);
    const again = await runHema3n(['devices', 'add', 'spo2-7', '--kind', 'pulse-oximeter', '--json'], env);
    expect(jsonError(again).code).toBe('CONFLICT');
  });

  it('identity is made once in development and printed the same every time after', async () => {
    const env = envFor(tempDir());
    const first = JSON.parse((await runHema3n(['identity', '--json'], env)).stdout);
    expect(first).toEqual({
      applianceId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      signPublicKey: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      boxPublicKey: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    expect(JSON.parse((await runHema3n(['identity', '--json'], env)).stdout)).toEqual(first);
  });

  it('identity in production without provisioning is IDENTITY_MISSING', async () => {
    const run = await runHema3n(['identity', '--json'], { ...envFor(tempDir()), HEMA3N_MODE: 'production' });
    expect(run.code).toBe(74);
    expect(jsonError(run).code).toBe('IDENTITY_MISSING');
  });

  it('names every bad argument and exits with the catalogue code', async () => {
    const run = await runHema3n(['crew', 'add', '--role', 'pilot', '--pin', '12', '--json'], envFor(tempDir()));
    expect(run.code).toBe(ERROR_CATALOGUE.INPUT_INVALID.exit);
    expect(run.stdout).toBe('');
    const error = jsonError(run);
    expect(error.code).toBe('INPUT_INVALID');
    expect(error.issues?.map((i) => i.field).sort()).toEqual(['name', 'pin', 'role']);
  });

  it('reports an invalid configuration with every field and exit code 78', async () => {
    const run = await runHema3n(['config', 'check', '--json'], { HEMA3N_HTTP_PORT: '-1', HEMA3N_LOG_LEVEL: 'loud' });
    expect(run.code).toBe(78);
    expect(jsonError(run).code).toBe('CONFIG_INVALID');
    expect(jsonError(run).message).toMatch(/HEMA3N_HTTP_PORT.*HEMA3N_LOG_LEVEL|HEMA3N_LOG_LEVEL.*HEMA3N_HTTP_PORT/);
  });

  it('answers an unknown command or flag with a usage error', async () => {
    expect((await runHema3n(['fly'], {})).code).toBe(ERROR_CATALOGUE.USAGE.exit);
    const badFlag = await runHema3n(['cases', 'list', '--colour', '--json'], envFor(tempDir()));
    expect(jsonError(badFlag).code).toBe('USAGE');
  });

  it('refuses a wrong key with DB_KEY_WRONG, a non-zero exit, and no new database', async () => {
    const dir = tempDir();
    await runHema3n(['cases', 'create'], envFor(dir));
    const before = readFileSync(databasePath(dir));
    const run = await runHema3n(['cases', 'list', '--json'], envFor(dir));
    expect(run.code).toBe(74);
    expect(jsonError(run).code).toBe('DB_KEY_WRONG');
    expect(readFileSync(databasePath(dir)).equals(before)).toBe(true);
  });

  it('db verify passes on a healthy database and audit verify fails on a tampered chain', async () => {
    const dir = tempDir();
    const key = randomKeyHex();
    await runHema3n(['cases', 'create'], envFor(dir, key));
    await runHema3n(['cases', 'list'], envFor(dir, key));
    const verify = await runHema3n(['db', 'verify', '--json'], envFor(dir, key));
    expect(verify.code).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, integrity: { integrity: ['ok'], cipherIntegrity: [] }, audit: { ok: true } });

    const db = openDatabase({ path: databasePath(dir), key: Buffer.from(key, 'hex') });
    db.prepare(`UPDATE audit SET resource = 'case/other' WHERE id = 1`).run();
    db.close();
    const audit = await runHema3n(['audit', 'verify', '--json'], envFor(dir, key));
    expect(audit.code).toBe(ERROR_CATALOGUE.AUDIT_CHAIN_BROKEN.exit);
    expect(JSON.parse(audit.stdout).problems).toContainEqual({ kind: 'edited', id: 1 });
  });

  it('db rekey re-encrypts in place: the old key stops working and the new key file opens it', async () => {
    const dir = tempDir();
    const key = randomKeyHex();
    await runHema3n(['cases', 'create'], envFor(dir, key));
    const newKeyFile = join(dir, 'new.key');
    const rekey = await runHema3n(['db', 'rekey', '--generate-key-file', newKeyFile, '--json'], envFor(dir, key));
    expect(rekey.code).toBe(0);
    expect((await runHema3n(['cases', 'list', '--json'], envFor(dir, key))).code).toBe(74);
    const withNew = await runHema3n(['cases', 'list', '--json'], { HEMA3N_STATE_DIR: dir, HEMA3N_DB_KEY_FILE: newKeyFile });
    expect(withNew.code).toBe(0);
    expect(JSON.parse(withNew.stdout)).toHaveLength(1);
  });

  it('db export writes an encrypted copy that opens with the same key and not without it', async () => {
    const dir = tempDir();
    const key = randomKeyHex();
    await runHema3n(['cases', 'create', '--incident', 'EXPORT-ME'], envFor(dir, key));
    const target = join(dir, 'backup.db');
    const run = await runHema3n(['db', 'export', target, '--json'], envFor(dir, key));
    expect(run.code).toBe(0);
    expect(existsSync(target)).toBe(true);
    expect(readFileSync(target).includes(Buffer.from('EXPORT-ME'))).toBe(false);
    const copy = openDatabase({ path: target, key: Buffer.from(key, 'hex'), readonly: true });
    expect((copy.prepare('SELECT incident_number AS n FROM cases').get() as { n: string }).n).toBe('EXPORT-ME');
    copy.close();
    const plain = new Database(target, { readonly: true });
    expect(() => plain.prepare('SELECT * FROM cases').all()).toThrow();
    plain.close();
    expect(jsonError(await runHema3n(['db', 'export', target, '--json'], envFor(dir, key))).code).toBe('CONFLICT');
  });
});

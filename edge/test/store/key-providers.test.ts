import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Hema3nError } from '../../src/errors.js';
import { devKeyPath, resolveDbKey, type DbKeyContext } from '../../src/keys/index.js';
import { randomKeyHex, useTempDirs } from '../support/temp.js';

const tempDir = useTempDirs();

function context(overrides: Partial<DbKeyContext> & { stateDir: string }): DbKeyContext & { warnings: string[] } {
  const warnings: string[] = [];
  return { settings: { keyProvider: 'auto' }, mode: 'development', databaseExists: false, warn: (m) => warnings.push(m), warnings, ...overrides };
}

async function rejection(promise: Promise<unknown>): Promise<Hema3nError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Hema3nError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

/** A stand-in tpm2_unseal on PATH: the selection and parsing are tested; the TPM itself cannot run here. */
function fakeTpm2(dir: string, output: string): string {
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'tpm2_unseal'), `#!/bin/sh\n[ "$1" = "-c" ] || exit 3\nprintf '%s' '${output}'\n`, { mode: 0o755 });
  return bin;
}

describe('database key providers', () => {
  it('env: takes HEMA3N_DB_KEY', async () => {
    const key = randomKeyHex();
    const resolved = await resolveDbKey(context({ stateDir: tempDir(), settings: { keyProvider: 'auto', key } }));
    expect(resolved).toEqual({ provider: 'env', bytes: Buffer.from(key, 'hex') });
  });

  it('file: reads a 0600 key file', async () => {
    const dir = tempDir();
    const key = randomKeyHex();
    writeFileSync(join(dir, 'k'), `${key}\n`, { mode: 0o600 });
    const resolved = await resolveDbKey(context({ stateDir: dir, settings: { keyProvider: 'file', keyFile: join(dir, 'k') } }));
    expect(resolved.bytes.toString('hex')).toBe(key);
  });

  it.each([0o640, 0o604, 0o644])('file: refuses a key file with mode %o (readable by group or others)', async (mode) => {
    const dir = tempDir();
    writeFileSync(join(dir, 'k'), randomKeyHex());
    chmodSync(join(dir, 'k'), mode);
    const error = await rejection(resolveDbKey(context({ stateDir: dir, settings: { keyProvider: 'file', keyFile: join(dir, 'k') } })));
    expect(error.code).toBe('DB_KEY_FILE_INSECURE');
  });

  it('file: refuses a key file that does not hold 64 hex characters', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'k'), 'not-a-key', { mode: 0o600 });
    const error = await rejection(resolveDbKey(context({ stateDir: dir, settings: { keyProvider: 'file', keyFile: join(dir, 'k') } })));
    expect(error.code).toBe('DB_KEY_FILE_INVALID');
  });

  it('tpm2: unseals through tpm2_unseal when a sealed key is configured', async () => {
    const dir = tempDir();
    const key = randomKeyHex();
    const previous = process.env.PATH;
    process.env.PATH = `${fakeTpm2(dir, key)}:${previous}`;
    try {
      const resolved = await resolveDbKey(context({ stateDir: dir, settings: { keyProvider: 'auto', tpm2SealedKey: '0x81010001' } }));
      expect(resolved).toEqual({ provider: 'tpm2', bytes: Buffer.from(key, 'hex') });
    } finally {
      process.env.PATH = previous;
    }
  });

  it('tpm2: a missing tool or a bad unseal is DB_KEY_PROVIDER_FAILED', async () => {
    const dir = tempDir();
    const previous = process.env.PATH;
    process.env.PATH = fakeTpm2(dir, 'garbage');
    try {
      const bad = await rejection(resolveDbKey(context({ stateDir: dir, settings: { keyProvider: 'tpm2', tpm2SealedKey: 'ctx' } })));
      expect(bad.code).toBe('DB_KEY_PROVIDER_FAILED');
      process.env.PATH = '/nonexistent';
      const missing = await rejection(resolveDbKey(context({ stateDir: dir, settings: { keyProvider: 'tpm2', tpm2SealedKey: 'ctx' } })));
      expect(missing.message).toMatch(/not installed/);
    } finally {
      process.env.PATH = previous;
    }
  });

  it('development: generates a 0600 key file for a new database, with a loud warning', async () => {
    const dir = tempDir();
    const ctx = context({ stateDir: dir });
    const resolved = await resolveDbKey(ctx);
    expect(resolved.provider).toBe('dev-generated');
    expect(statSync(devKeyPath(dir)).mode & 0o777).toBe(0o600);
    expect(readFileSync(devKeyPath(dir), 'utf8').trim()).toBe(resolved.bytes.toString('hex'));
    expect(ctx.warnings.join()).toMatch(/DEVELOPMENT KEY GENERATED/);
    // The next start finds the file and uses it.
    expect((await resolveDbKey(context({ stateDir: dir, databaseExists: true }))).provider).toBe('file');
  });

  it('never generates a key for an existing database, nor in production', async () => {
    const existing = await rejection(resolveDbKey(context({ stateDir: tempDir(), databaseExists: true })));
    expect(existing.code).toBe('DB_KEY_MISSING');
    const production = await rejection(resolveDbKey(context({ stateDir: tempDir(), mode: 'production' })));
    expect(production.code).toBe('DB_KEY_MISSING');
  });
});

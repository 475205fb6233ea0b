import { rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { isHema3nError } from '../errors.js';
import { resolveDbKey } from '../keys/index.js';
import { fsyncPath, writeFileDurably } from './durable-fs.js';
import { evictHandle, otherHandle, sealAtHandle, type TpmAuth } from './tpm2.js';

/** A key that is there, or why there is none. */
export type VaultRead = { readonly key: Buffer } | { readonly absent: string };

/**
 * Where a provider keeps the database key. A rekey first stages the new key beside the current
 * one (a `.new` file, the other TPM handle), re-encrypts, then commits; a run interrupted between
 * the two finds the staged key and finishes the job.
 */
export interface KeyVault {
  /** e.g. `key file /var/lib/hema3n/db.key`, `TPM handle 0x81000100`. */
  describe(): string;
  read(): Promise<VaultRead>;
  /** Puts the first key where read() finds it; only ever called when read() found none. */
  create(key: Buffer): Promise<void>;
  readStaged(): Promise<VaultRead>;
  stage(key: Buffer): Promise<void>;
  commit(): Promise<void>;
  /** The settings that make the tpm2 or file key provider read this vault. */
  settings(): Record<string, string | null>;
}

/** Reads a key the way the daemon will (same provider code), so provisioning and start never disagree. */
async function readAs(settings: { keyProvider: 'file' | 'tpm2'; keyFile?: string; tpm2SealedKey?: string }, stateDir: string): Promise<VaultRead> {
  try {
    const { bytes } = await resolveDbKey({ settings, mode: 'production', stateDir, databaseExists: true, warn: () => {} });
    return { key: bytes };
  } catch (error) {
    if (!isHema3nError(error)) throw error;
    // A key that is there but unusable, or TPM tools that are not installed, are not an empty slot: say so now.
    const toolMissing = settings.keyProvider === 'tpm2' && (error.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
    if (toolMissing || error.code === 'DB_KEY_FILE_INSECURE') throw error;
    return { absent: error.message };
  }
}

export function fileVault(keyFile: string, stateDir: string): KeyVault {
  const staged = `${keyFile}.new`;
  return {
    describe: () => `key file ${keyFile}`,
    read: () => readAs({ keyProvider: 'file', keyFile }, stateDir),
    create: (key) => writeFileDurably(keyFile, `${key.toString('hex')}\n`, 0o600),
    readStaged: () => readAs({ keyProvider: 'file', keyFile: staged }, stateDir),
    stage: (key) => writeFileDurably(staged, `${key.toString('hex')}\n`, 0o600),
    async commit() {
      await rename(staged, keyFile);
      await fsyncPath(dirname(keyFile));
    },
    settings: () => ({ HEMA3N_DB_KEY_PROVIDER: 'file', HEMA3N_DB_KEY_FILE: keyFile, HEMA3N_TPM2_SEALED_KEY: null }),
  };
}

export function tpmVault(initialHandle: string, stateDir: string, auth: TpmAuth): KeyVault {
  let handle = initialHandle;
  return {
    describe: () => `TPM handle ${handle}`,
    read: () => readAs({ keyProvider: 'tpm2', tpm2SealedKey: handle }, stateDir),
    create: (key) => sealAtHandle(key.toString('hex'), handle, auth),
    readStaged: () => readAs({ keyProvider: 'tpm2', tpm2SealedKey: otherHandle(handle) }, stateDir),
    async stage(key) {
      const spare = otherHandle(handle);
      // A leftover at the spare handle is ours from an abandoned rekey that never opened the database.
      if ('key' in (await readAs({ keyProvider: 'tpm2', tpm2SealedKey: spare }, stateDir))) await evictHandle(spare, auth);
      await sealAtHandle(key.toString('hex'), spare, auth);
    },
    async commit() {
      const old = handle;
      handle = otherHandle(handle);
      if ('key' in (await readAs({ keyProvider: 'tpm2', tpm2SealedKey: old }, stateDir))) await evictHandle(old, auth);
    },
    settings: () => ({ HEMA3N_DB_KEY_PROVIDER: 'tpm2', HEMA3N_TPM2_SEALED_KEY: handle, HEMA3N_DB_KEY_FILE: null }),
  };
}

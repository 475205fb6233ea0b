import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Hema3nError } from '../errors.js';

const execFileAsync = promisify(execFile);

export type KeyProviderName = 'env' | 'file' | 'tpm2' | 'dev-generated';

export interface DbKey {
  /** 32 raw bytes, the SQLCipher key. */
  readonly bytes: Buffer;
  readonly provider: KeyProviderName;
}

export interface DbKeySettings {
  readonly keyProvider: 'auto' | 'env' | 'file' | 'tpm2';
  readonly key?: string | undefined;
  readonly keyFile?: string | undefined;
  readonly tpm2SealedKey?: string | undefined;
}

export interface DbKeyContext {
  readonly settings: DbKeySettings;
  readonly mode: 'development' | 'production';
  readonly stateDir: string;
  /** Whether the database already exists: a key is only ever generated for a new database. */
  readonly databaseExists: boolean;
  readonly warn: (message: string) => void;
}

/** Where `auto` looks for, and development writes, a key when none is configured. */
export function devKeyPath(stateDir: string): string {
  return join(stateDir, 'db.key');
}

/**
 * Picks the key provider. `auto` takes the first configured one (env, file, tpm2); with none
 * configured, a development appliance creating a new database gets a generated key file, loudly.
 * Production never invents a key, and nobody ever gets a new key for an existing database.
 */
export async function resolveDbKey(context: DbKeyContext): Promise<DbKey> {
  const { settings } = context;
  const provider = settings.keyProvider === 'auto' ? pickAutomatically(context) : settings.keyProvider;
  switch (provider) {
    case 'env':
      return { bytes: parseHexKey(settings.key, 'HEMA3N_DB_KEY'), provider: 'env' };
    case 'file':
      return { bytes: readKeyFile(settings.keyFile ?? devKeyPath(context.stateDir)), provider: 'file' };
    case 'tpm2':
      return { bytes: await unsealWithTpm2(settings.tpm2SealedKey), provider: 'tpm2' };
    case 'dev-generated':
      return { bytes: generateDevKey(context), provider: 'dev-generated' };
  }
}

function pickAutomatically(context: DbKeyContext): KeyProviderName {
  const { settings } = context;
  if (settings.key) return 'env';
  if (settings.keyFile || existsSync(devKeyPath(context.stateDir))) return 'file';
  if (settings.tpm2SealedKey) return 'tpm2';
  if (context.mode === 'development' && !context.databaseExists) return 'dev-generated';
  throw new Hema3nError(
    'DB_KEY_MISSING',
    context.databaseExists
      ? 'The database exists but no key is configured'
      : 'No database key is configured and production mode never generates one',
  );
}

function parseHexKey(hex: string | undefined, source: string): Buffer {
  if (!hex || !/^[0-9a-fA-F]{64}$/.test(hex)) {
    throw new Hema3nError('DB_KEY_MISSING', `${source} must hold the database key as 64 hex characters`);
  }
  return Buffer.from(hex, 'hex');
}

function readKeyFile(path: string): Buffer {
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch (cause) {
    throw new Hema3nError('DB_KEY_MISSING', `Key file ${path} does not exist`, { cause });
  }
  if ((mode & 0o077) !== 0) {
    throw new Hema3nError('DB_KEY_FILE_INSECURE', `Key file ${path} is readable by group or others (mode ${(mode & 0o777).toString(8)})`);
  }
  const text = readFileSync(path, 'utf8').trim();
  if (!/^[0-9a-fA-F]{64}$/.test(text)) {
    throw new Hema3nError('DB_KEY_FILE_INVALID', `Key file ${path} does not hold 64 hex characters`);
  }
  return Buffer.from(text, 'hex');
}

/**
 * The key is sealed to the fTPM at provisioning; tpm2_unseal prints it as 64 hex characters
 * (what provisioning sealed). The tool is looked up on PATH so the selection is testable without a TPM.
 */
async function unsealWithTpm2(sealedKey: string | undefined): Promise<Buffer> {
  if (!sealedKey) throw new Hema3nError('DB_KEY_MISSING', 'The tpm2 key provider needs HEMA3N_TPM2_SEALED_KEY (a context file or persistent handle)');
  let stdout: string;
  try {
    ({ stdout } = await execFileAsync('tpm2_unseal', ['-c', sealedKey], { timeout: 15_000, encoding: 'utf8' }));
  } catch (cause) {
    const reason = (cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'tpm2_unseal is not installed' : 'tpm2_unseal failed';
    throw new Hema3nError('DB_KEY_PROVIDER_FAILED', `TPM key provider: ${reason}`, { cause });
  }
  const hex = stdout.trim();
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new Hema3nError('DB_KEY_PROVIDER_FAILED', 'TPM key provider: the unsealed key is not 64 hex characters');
  return Buffer.from(hex, 'hex');
}

function generateDevKey(context: DbKeyContext): Buffer {
  const path = devKeyPath(context.stateDir);
  const key = randomBytes(32);
  writeFileSync(path, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  context.warn(
    `DEVELOPMENT KEY GENERATED: a new database key was written to ${path}. ` +
      'Anyone who can read that file can read the PHI. Production appliances use `hema3n provision` (tpm2 or file provider).',
  );
  return key;
}

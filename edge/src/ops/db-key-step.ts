import { randomBytes } from 'node:crypto';
import { Hema3nError, isHema3nError } from '../errors.js';
import { openDatabase, rekey } from '../store/index.js';
import type { KeyVault } from './key-vault.js';
import type { StepAction } from './steps.js';

export interface KeyStepInput {
  readonly vault: KeyVault;
  readonly databaseFile: string;
  readonly databaseExists: boolean;
  readonly rekey: boolean;
  /** The key the configuration names today (env, file, tpm2): what opens the database when this vault has no key yet. */
  readonly configuredKey: () => Promise<Buffer>;
}

export interface KeyStepResult {
  readonly key: Buffer;
  readonly action: StepAction;
  readonly detail: string;
}

/**
 * The database key, sealed where the chosen provider reads it. An existing key is kept; a new
 * one is only ever made for a database that does not exist yet, or on --rekey, which re-encrypts
 * the database under it. Nothing here ever creates a key that would leave the database unreadable.
 */
export async function provisionDbKey(input: KeyStepInput): Promise<KeyStepResult> {
  const { vault } = input;
  const current = await vault.read();
  if (!input.databaseExists) {
    if ('key' in current && !input.rekey) return { key: current.key, action: 'unchanged', detail: `kept at ${vault.describe()}` };
    const fresh = randomBytes(32);
    if ('key' in current) {
      await vault.stage(fresh);
      await vault.commit();
    } else {
      await vault.create(fresh);
    }
    await assertReadsBack(vault, fresh);
    return { key: fresh, action: 'key' in current ? 'replaced' : 'created', detail: `new key at ${vault.describe()}` };
  }
  const opening = await keyThatOpens(input, 'key' in current ? current.key : null, 'absent' in current ? current.absent : '');
  if (!input.rekey) {
    return { key: opening.key, action: opening.recovered ? 'recovered' : 'unchanged', detail: `${opening.recovered ? 'finished an interrupted rekey; ' : ''}kept at ${vault.describe()}` };
  }
  const fresh = randomBytes(32);
  await vault.stage(fresh);
  reencrypt(input.databaseFile, opening.key, fresh);
  await vault.commit();
  await assertReadsBack(vault, fresh);
  return { key: fresh, action: 'replaced', detail: `database re-encrypted under a new key at ${vault.describe()}` };
}

async function keyThatOpens(input: KeyStepInput, current: Buffer | null, absent: string): Promise<{ key: Buffer; recovered: boolean }> {
  const { vault } = input;
  if (current && opens(input.databaseFile, current)) return { key: current, recovered: false };
  const staged = await vault.readStaged();
  if ('key' in staged && opens(input.databaseFile, staged.key)) {
    await vault.commit();
    return { key: staged.key, recovered: true };
  }
  if (!input.rekey) {
    if (current) throw new Hema3nError('DB_KEY_WRONG', `The key at ${vault.describe()} does not open the existing database; nothing was changed`);
    throw new Hema3nError('PROVISION_WOULD_REPLACE', `The database exists but there is no key at ${vault.describe()} (${absent}); --rekey re-encrypts it under a new key there, opening it with the key configured now`);
  }
  const configured = await input.configuredKey();
  if (opens(input.databaseFile, configured)) return { key: configured, recovered: false };
  throw new Hema3nError('DB_KEY_WRONG', 'Neither the provisioned nor the configured key opens the existing database; nothing was changed');
}

/** Reads the new key back the way the daemon will, so a TPM that sealed something else is caught now, not at the next boot. */
async function assertReadsBack(vault: KeyVault, key: Buffer): Promise<void> {
  const back = await vault.read();
  if (!('key' in back) || !back.key.equals(key)) {
    throw new Hema3nError('DB_KEY_PROVIDER_FAILED', `The key stored at ${vault.describe()} does not read back as it was written`);
  }
}

function opens(databaseFile: string, key: Buffer): boolean {
  try {
    openDatabase({ path: databaseFile, key }).close();
    return true;
  } catch (error) {
    if (isHema3nError(error) && error.code === 'DB_KEY_WRONG') return false;
    throw error;
  }
}

function reencrypt(databaseFile: string, oldKey: Buffer, newKey: Buffer): void {
  const db = openDatabase({ path: databaseFile, key: oldKey });
  try {
    rekey(db, newKey);
  } catch (cause) {
    throw new Hema3nError('CONFLICT', 'Rekey needs the database to itself: stop the daemon (systemctl stop hema3n-edge) first', { cause });
  } finally {
    db.close();
  }
}

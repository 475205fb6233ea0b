import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Hema3nError } from '../errors.js';

const LOCK_FILE = '.lock';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One install or rollback at a time per directory. The lock names its holder's pid; a lock whose
 * holder is gone (killed mid-copy, power cut) is taken over, which is what lets the next install
 * clean up after an interrupted one.
 */
export async function withInstallLock<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; ; attempt += 1) {
    try {
      await writeFile(path, String(process.pid), { flag: 'wx', mode: 0o600 });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (attempt > 0) throw busy(error);
      const holder = Number(await readFile(path, 'utf8').catch(() => 'NaN'));
      if (Number.isInteger(holder) && alive(holder)) throw busy(error);
      await rm(path, { force: true });
    }
  }
  try {
    return await fn();
  } finally {
    await rm(path, { force: true });
  }
}

const busy = (cause: unknown): Hema3nError =>
  new Hema3nError('CONFLICT', 'Another model install or rollback is running; wait for it to finish', { cause });

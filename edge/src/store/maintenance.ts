import { existsSync } from 'node:fs';
import { Hema3nError } from '../errors.js';
import { openDatabase, type SqliteDatabase } from './database.js';

export interface IntegrityReport {
  readonly integrity: string[];
  readonly cipherIntegrity: string[];
}

/** PRAGMA integrity_check (b-tree structure) and cipher_integrity_check (every page's HMAC). */
export function checkIntegrity(db: SqliteDatabase): IntegrityReport {
  const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
  const cipherIntegrity = (db.pragma('cipher_integrity_check') as Record<string, string>[]).map((r) => Object.values(r).join(' '));
  return { integrity, cipherIntegrity };
}

export function integrityOk(report: IntegrityReport): boolean {
  return report.integrity.length === 1 && report.integrity[0] === 'ok' && report.cipherIntegrity.length === 0;
}

/**
 * Changes the key in place. sqlite3mc cannot rekey a WAL database, so the journal is switched
 * to DELETE for the rekey (after a full checkpoint) and back to WAL after.
 */
export function rekey(db: SqliteDatabase, newKey: Buffer): void {
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.pragma('journal_mode = DELETE');
  db.pragma(`rekey = "x'${newKey.toString('hex')}'"`);
  db.pragma('journal_mode = WAL');
}

/**
 * Online backup into a new file encrypted with the same key (VACUUM INTO keeps the cipher
 * settings in sqlite3mc). The copy is opened with the key afterwards to prove it is usable.
 */
export function exportEncrypted(db: SqliteDatabase, destination: string, key: Buffer): void {
  if (existsSync(destination)) throw new Hema3nError('CONFLICT', `Export destination ${destination} already exists`);
  db.prepare('VACUUM INTO ?').run(destination);
  const copy = openDatabase({ path: destination, key, readonly: true });
  try {
    const report = checkIntegrity(copy);
    if (!integrityOk(report)) throw new Hema3nError('DB_CORRUPT', 'The exported copy failed its integrity check');
  } finally {
    copy.close();
  }
}


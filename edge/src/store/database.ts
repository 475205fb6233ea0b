import Database from 'better-sqlite3-multiple-ciphers';
import { Hema3nError } from '../errors.js';
import { MIGRATIONS } from './migrations.js';

/** 64 MiB of page cache: the Orin has 32-64 GB, and a cache miss on SQLCipher costs a decrypt. */
const CACHE_KIB = 64 * 1024;

export type SqliteDatabase = Database.Database;

export interface OpenOptions {
  readonly path: string;
  /** 32 raw key bytes; null only for the benchmark's unencrypted baseline (the appliance never passes null). */
  readonly key: Buffer | null;
  readonly readonly?: boolean;
}

/**
 * Opens (or creates) the SQLCipher v4 database and brings its schema up to date.
 * A wrong key never creates anything: the header check runs before any write.
 */
export function openDatabase({ path, key, readonly = false }: OpenOptions): SqliteDatabase {
  let db: SqliteDatabase;
  try {
    db = new Database(path, { readonly, fileMustExist: readonly });
  } catch (cause) {
    throw new Hema3nError('DB_OPEN_FAILED', `Cannot open the database file ${path}`, { cause });
  }
  try {
    if (key) applyKey(db, key);
    assertKeyOpens(db);
    if (!readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 5000');
      // Deleted PHI (a case's photos, staged device chunks) must not linger in freed space. ON
      // zeroes freed cells and whole freed pages; FAST would skip freelist pages, which is exactly
      // where a deleted photo's overflow pages go. It costs extra writes only on delete and update;
      // the high-rate inserts are unaffected. The WAL still holds old page images until a checkpoint,
      // so deleting media also checkpoints (store/media.ts).
      db.pragma('secure_delete = ON');
      // Pages in the cache are held decrypted; every miss costs a decrypt and an HMAC check.
      db.pragma(`cache_size = -${CACHE_KIB}`);
      migrate(db);
    }
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * A second connection to an open database, for the background checkpointer: keyed like the
 * writer's, without migrations (the writer ran them) and with a small cache (it reads only the WAL).
 */
export function openCheckpointConnection(path: string, key: Buffer | null): SqliteDatabase {
  const db = new Database(path, { fileMustExist: true });
  try {
    if (key) applyKey(db, key);
    assertKeyOpens(db);
    db.pragma('cache_size = -2048');
    return db;
  } catch (error) {
    db.close();
    throw error;
  } finally {
    key?.fill(0);
  }
}

/** SQLCipher v4 settings: the format @journeyapps/sqlcipher and the sqlcipher CLI read. */
export function applyKey(db: SqliteDatabase, key: Buffer): void {
  db.pragma(`cipher = 'sqlcipher'`);
  db.pragma('legacy = 4');
  db.pragma(`key = "x'${key.toString('hex')}'"`);
}

function assertKeyOpens(db: SqliteDatabase): void {
  try {
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (cause) {
    const code = (cause as { code?: string }).code;
    if (code === 'SQLITE_NOTADB') {
      throw new Hema3nError('DB_KEY_WRONG', 'The database key does not open the existing database', { cause });
    }
    throw new Hema3nError('DB_CORRUPT', 'The database cannot be read', { cause });
  }
}

export function schemaVersion(db: SqliteDatabase): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function migrate(db: SqliteDatabase): void {
  const current = schemaVersion(db);
  if (current > MIGRATIONS.length) {
    throw new Hema3nError('DB_SCHEMA_TOO_NEW', `Database schema ${current} is newer than this release (${MIGRATIONS.length})`);
  }
  MIGRATIONS.slice(current).forEach((sql, index) => {
    const version = current + index + 1;
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${version}`);
    }).immediate();
  });
}

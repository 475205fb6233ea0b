import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { CloudError } from '../errors.js';

export type SqliteDatabase = Database.Database;

/** Forward-only schema steps; step i brings user_version from i to i + 1. */
export type Migrations = readonly string[];

/**
 * Opens (or creates) one of the service's SQLite files: WAL so the CLI can read and write while
 * the service runs, synchronous=FULL so a committed receipt survives a power cut, a busy timeout
 * for the moments the CLI and the service write at once, and secure_delete because these files
 * hold PHI: a deleted row (an expunged resource, a joined media chunk) is zeroed, not left in a
 * free page. Migrations run before anything else.
 */
export function openSqlite(path: string, migrations: Migrations): SqliteDatabase {
  let db: SqliteDatabase;
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    db = new Database(path);
    db.pragma('busy_timeout = 5000');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('secure_delete = ON');
  } catch (cause) {
    throw new CloudError('DB_OPEN_FAILED', `Cannot open the database ${path}`, { cause });
  }
  try {
    migrate(db, migrations);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

function migrate(db: SqliteDatabase, migrations: Migrations): void {
  const run = db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > migrations.length) throw new CloudError('DB_SCHEMA_TOO_NEW', `Database schema ${version} is newer than this release knows (${migrations.length})`);
    for (let step = version; step < migrations.length; step++) db.exec(migrations[step]!);
    db.pragma(`user_version = ${migrations.length}`);
  });
  run.immediate();
}

/**
 * After deleting PHI: secure_delete zeroed the rows, but in WAL mode the zeroed pages are new WAL
 * frames, and the database file keeps the old page (and the WAL its earlier frames) until a
 * checkpoint. A TRUNCATE checkpoint copies the zeroed pages in and empties the WAL. A reader
 * holding an old snapshot (the CLI) can make it stop short; the next checkpoint finishes the job.
 */
export function scrubDeleted(db: SqliteDatabase): void {
  db.pragma('wal_checkpoint(TRUNCATE)');
}

/** Folds the WAL back into the file so the state directory is one file per database at rest. */
export function closeSqlite(db: SqliteDatabase): void {
  if (!db.open) return;
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}

import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import PlainDatabase from 'better-sqlite3';
import sqlcipher from '@journeyapps/sqlcipher';
import { describe, expect, it } from 'vitest';
import { Hema3nError } from '../../src/errors.js';
import { databasePath, Store } from '../../src/store/index.js';
import { randomKeyHex, useTempDirs } from '../support/temp.js';

const tempDir = useTempDirs();
const PHI = ['Zelda Quixotic-Marchbanks', 'crushing substernal pain since 0400', '1961-07-14'];
const groupCommit = { maxRows: 100, maxDelayMs: 1 };

function writePhi(dir: string, keyHex: string): Store {
  const store = Store.open({ path: databasePath(dir), key: Buffer.from(keyHex, 'hex'), groupCommit });
  const created = store.cases.create({ incidentNumber: 'INC-77', actor: 'test', now: Date.now() });
  store.cases.updatePatient(created.id, { givenName: 'Zelda', familyName: 'Quixotic-Marchbanks', birthDate: PHI[2]! }, Date.now());
  store.cases.updateClinical(created.id, { chiefComplaint: PHI[1]! }, Date.now());
  store.db.prepare(`INSERT INTO notes (id, case_id, author_id, text, created_at) VALUES ('n1', ?, 'a', ?, 0)`).run(created.id, PHI[0]!);
  return store;
}

/** Every byte on disk for the database: main file, WAL and shared memory. */
function filesOnDisk(dir: string): Buffer {
  return Buffer.concat(readdirSync(dir).filter((f) => f.startsWith('hema3n.db')).map((f) => readFileSync(join(dir, f))));
}

function openWithJourneyApps(path: string, keyHex: string): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const db = new sqlcipher.Database(path, (err) => err && reject(err));
    db.serialize(() => {
      db.run('PRAGMA cipher_compatibility = 4');
      db.run(`PRAGMA key = "x'${keyHex}'"`);
      db.all('SELECT text FROM notes', (err, rows) => {
        db.close();
        if (err) reject(err);
        else resolve(rows);
      });
    });
  });
}

describe('encrypted store', () => {
  it('keeps no PHI string in the database file or its WAL, while the WAL is live and after close', () => {
    const dir = tempDir();
    const store = writePhi(dir, randomKeyHex());
    expect(existsSync(`${databasePath(dir)}-wal`)).toBe(true);
    const live = filesOnDisk(dir);
    expect(live.length).toBeGreaterThan(4096);
    for (const phi of PHI) expect(live.includes(Buffer.from(phi))).toBe(false);
    store.close();
    const closed = filesOnDisk(dir);
    for (const phi of PHI) expect(closed.includes(Buffer.from(phi))).toBe(false);
  });

  it('is real SQLCipher v4: @journeyapps/sqlcipher opens it with the key', async () => {
    const dir = tempDir();
    const key = randomKeyHex();
    writePhi(dir, key).close();
    await expect(openWithJourneyApps(databasePath(dir), key)).resolves.toEqual([{ text: PHI[0] }]);
  });

  it('cannot be read by plain SQLite', () => {
    const dir = tempDir();
    writePhi(dir, randomKeyHex()).close();
    const plain = new PlainDatabase(databasePath(dir), { readonly: true });
    expect(() => plain.prepare('SELECT * FROM notes').all()).toThrow(/not a database/);
    plain.close();
  });

  it('refuses a wrong key with DB_KEY_WRONG and leaves the file byte-for-byte unchanged', () => {
    const dir = tempDir();
    writePhi(dir, randomKeyHex()).close();
    const digest = () => createHash('sha256').update(filesOnDisk(dir)).digest('hex');
    const before = digest();
    let error: unknown;
    try {
      Store.open({ path: databasePath(dir), key: Buffer.from(randomKeyHex(), 'hex'), groupCommit });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(Hema3nError);
    expect((error as Hema3nError).code).toBe('DB_KEY_WRONG');
    expect(digest()).toBe(before);
  });

  it('migrates a new database to the current schema once, and reopening changes nothing', () => {
    const dir = tempDir();
    const key = randomKeyHex();
    const first = writePhi(dir, key);
    const version = first.db.pragma('user_version', { simple: true });
    first.close();
    const second = Store.open({ path: databasePath(dir), key: Buffer.from(key, 'hex'), groupCommit });
    expect(second.db.pragma('user_version', { simple: true })).toBe(version);
    expect(second.cases.list()).toHaveLength(1);
    expect(second.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(second.db.pragma('synchronous', { simple: true })).toBe(2);
    second.close();
  });
});

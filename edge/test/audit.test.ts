import { describe, expect, it } from 'vitest';
import { AuditLog } from '../src/audit/index.js';
import { databasePath, Store } from '../src/store/index.js';
import { randomKeyHex, useTempDirs } from './support/temp.js';

const tempDir = useTempDirs();

function auditWithEntries(count: number): { store: Store; audit: AuditLog } {
  const store = Store.open({ path: databasePath(tempDir()), key: Buffer.from(randomKeyHex(), 'hex'), groupCommit: { maxRows: 10, maxDelayMs: 1 } });
  let t = 1_700_000_000_000;
  const audit = new AuditLog(store.db, () => (t += 1000));
  for (let i = 0; i < count; i++) audit.append({ actor: `crew:${i % 3}`, action: 'case.read', resource: `case/${i}`, reason: i % 2 ? 'handoff' : undefined });
  return { store, audit };
}

describe('audit hash chain', () => {
  it('verifies an untouched chain and links each entry to the previous hash', () => {
    const { store, audit } = auditWithEntries(5);
    expect(audit.verify()).toEqual({ ok: true, entries: 5, problems: [] });
    const rows = store.db.prepare('SELECT prev_hash AS p, hash AS h FROM audit ORDER BY id').all() as { p: string; h: string }[];
    rows.slice(1).forEach((row, i) => expect(row.p).toBe(rows[i]!.h));
    store.close();
  });

  it('detects an edited row', () => {
    const { store, audit } = auditWithEntries(5);
    store.db.prepare(`UPDATE audit SET actor = 'crew:mallory' WHERE id = 3`).run();
    expect(audit.verify().problems).toEqual([{ kind: 'edited', id: 3 }]);
    store.close();
  });

  it('detects a deleted row in the middle', () => {
    const { store, audit } = auditWithEntries(5);
    store.db.prepare('DELETE FROM audit WHERE id = 2').run();
    const { ok, problems } = audit.verify();
    expect(ok).toBe(false);
    expect(problems).toContainEqual({ kind: 'broken-link', id: 3 });
    expect(problems).toContainEqual({ kind: 'gap', afterId: 1, nextId: 3 });
    store.close();
  });

  it('detects a deleted last row', () => {
    const { store, audit } = auditWithEntries(5);
    store.db.prepare('DELETE FROM audit WHERE id = 5').run();
    expect(audit.verify().problems).toEqual([{ kind: 'tail-deleted', lastId: 4, highestIssuedId: 5 }]);
    store.close();
  });

  it('detects an inserted row, even one whose own hash was computed correctly', () => {
    const { store, audit } = auditWithEntries(3);
    const forged = store.db.prepare('SELECT * FROM audit WHERE id = 2').get() as Record<string, unknown>;
    store.db.prepare('UPDATE audit SET id = id + 10 WHERE id >= 2').run();
    store.db.prepare('UPDATE audit SET id = id - 9 WHERE id >= 12').run();
    store.db
      .prepare('INSERT INTO audit (id, at, actor, action, resource, reason, prev_hash, hash) VALUES (2, ?, ?, ?, ?, ?, ?, ?)')
      .run(forged.at, 'crew:mallory', forged.action, forged.resource, forged.reason, forged.prev_hash, forged.hash);
    expect(audit.verify().ok).toBe(false);
    store.close();
  });

  it('keeps appending a valid chain after a reopen', () => {
    const dir = tempDir();
    const key = Buffer.from(randomKeyHex(), 'hex');
    const options = { path: databasePath(dir), key, groupCommit: { maxRows: 10, maxDelayMs: 1 } };
    let store = Store.open(options);
    new AuditLog(store.db).append({ actor: 'system', action: 'a', resource: 'r' });
    store.close();
    store = Store.open(options);
    const audit = new AuditLog(store.db);
    audit.append({ actor: 'system', action: 'b', resource: 'r' });
    expect(audit.verify()).toMatchObject({ ok: true, entries: 2 });
    store.close();
  });

  it('rolls the audit row back with the change it records', () => {
    const { store, audit } = auditWithEntries(1);
    expect(() =>
      store.transaction(() => {
        audit.append({ actor: 'crew:1', action: 'patient.update', resource: 'case/x' });
        throw new Error('change failed');
      }),
    ).toThrow('change failed');
    expect(audit.verify()).toMatchObject({ ok: true, entries: 1 });
    store.close();
  });
});

import type { SqliteDatabase } from '../store/index.js';
import { entryHash, GENESIS_HASH, verifyChain, type AuditEntry, type ChainProblem } from './chain.js';

export interface AuditRecord {
  /** Crew id, `device:<id>`, `cli:<user>` or `system`. */
  readonly actor: string;
  /** e.g. `case.read`, `patient.update`, `break-glass`. */
  readonly action: string;
  /** e.g. `case/<uuid>`; ids only, never content. */
  readonly resource: string;
  readonly reason?: string | undefined;
}

export interface AuditVerification {
  readonly ok: boolean;
  readonly entries: number;
  readonly problems: readonly ChainProblem[];
}

const ENTRY_COLUMNS = 'id, at, actor, action, resource, reason, prev_hash AS prevHash, hash';

/**
 * Append-only, hash-chained record of every PHI read and write. Appends run inside the
 * caller's transaction when there is one, so the audit row and the change commit together.
 */
export class AuditLog {
  private readonly head;
  private readonly insert;
  private readonly all;
  private readonly issued;
  /** Appends one entry; nested in the caller's transaction when there is one. */
  readonly append: (record: AuditRecord) => AuditEntry;

  constructor(
    db: SqliteDatabase,
    private readonly now: () => number = Date.now,
  ) {
    this.head = db.prepare('SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1');
    this.insert = db.prepare('INSERT INTO audit (id, at, actor, action, resource, reason, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    this.all = db.prepare(`SELECT ${ENTRY_COLUMNS} FROM audit ORDER BY id`);
    this.issued = db.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'audit'`);
    this.append = db.transaction((record: AuditRecord) => this.write(record));
  }

  private write(record: AuditRecord): AuditEntry {
    const last = this.head.get() as { id: number; hash: string } | undefined;
    const base = {
      id: (last?.id ?? 0) + 1,
      at: this.now(),
      actor: record.actor,
      action: record.action,
      resource: record.resource,
      reason: record.reason ?? null,
      prevHash: last?.hash ?? GENESIS_HASH,
    };
    const entry: AuditEntry = { ...base, hash: entryHash(base) };
    this.insert.run(entry.id, entry.at, entry.actor, entry.action, entry.resource, entry.reason, entry.prevHash, entry.hash);
    return entry;
  }

  verify(): AuditVerification {
    const entries = this.all.all() as AuditEntry[];
    const issued = (this.issued.get() as { seq: number } | undefined)?.seq ?? 0;
    const problems = verifyChain(entries, issued);
    return { ok: problems.length === 0, entries: entries.length, problems };
  }
}

import type { SqliteDatabase } from './database.js';
import type { Device } from './types.js';

const COLUMNS = 'ref, id, kind, created_at AS createdAt, revoked_at AS revokedAt, last_seen_at AS lastSeenAt';

export class DeviceRepository {
  constructor(private readonly db: SqliteDatabase) {}

  add(input: { id: string; kind: string; secretHash: string; now: number }): Device {
    const { lastInsertRowid } = this.db
      .prepare('INSERT INTO devices (id, kind, secret_hash, created_at) VALUES (?, ?, ?, ?)')
      .run(input.id, input.kind, input.secretHash, input.now);
    return { ref: Number(lastInsertRowid), id: input.id, kind: input.kind, createdAt: input.now, revokedAt: null, lastSeenAt: null };
  }

  get(id: string): Device | undefined {
    return this.db.prepare(`SELECT ${COLUMNS} FROM devices WHERE id = ?`).get(id) as Device | undefined;
  }

  list(): Device[] {
    return this.db.prepare(`SELECT ${COLUMNS} FROM devices ORDER BY id`).all() as Device[];
  }

  secretHash(id: string): string | undefined {
    const row = this.db.prepare('SELECT secret_hash AS h FROM devices WHERE id = ? AND revoked_at IS NULL').get(id) as
      | { h: string }
      | undefined;
    return row?.h;
  }

  /** The highest seq stored for a device, so a reconnecting device's replays are recognised. */
  lastVitalSeq(ref: number): number | null {
    const row = this.db.prepare('SELECT max(seq) AS seq FROM vital_signs WHERE device_ref = ?').get(ref) as { seq: number | null };
    return row.seq;
  }

  touch(ref: number, now: number): void {
    this.db.prepare('UPDATE devices SET last_seen_at = ? WHERE ref = ?').run(now, ref);
  }

  revoke(id: string, now: number): boolean {
    return this.db.prepare('UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, id).changes === 1;
  }
}

import type { SqliteDatabase } from './database.js';

export interface StoredAlert {
  readonly id: string;
  readonly caseId: string;
  readonly kind: string;
  readonly raisedAt: number;
  readonly detail: string;
  readonly clearedAt: number | null;
  readonly acknowledgedBy: string | null;
  readonly acknowledgedAt: number | null;
}

const COLUMNS = `id, case_id AS caseId, kind, raised_at AS raisedAt, detail, cleared_at AS clearedAt,
  acknowledged_by AS acknowledgedBy, acknowledged_at AS acknowledgedAt`;

export class AlertRepository {
  constructor(private readonly db: SqliteDatabase) {}

  /** Inserts or updates (clearing and acknowledgement change an alert after it is raised). */
  save(alert: StoredAlert): void {
    this.db
      .prepare(
        `INSERT INTO alerts (id, case_id, kind, raised_at, detail, cleared_at, acknowledged_by, acknowledged_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET cleared_at = excluded.cleared_at, acknowledged_by = excluded.acknowledged_by,
           acknowledged_at = excluded.acknowledged_at`,
      )
      .run(alert.id, alert.caseId, alert.kind, alert.raisedAt, alert.detail, alert.clearedAt, alert.acknowledgedBy, alert.acknowledgedAt);
  }

  forCase(caseId: string): StoredAlert[] {
    return this.db.prepare(`SELECT ${COLUMNS} FROM alerts WHERE case_id = ? ORDER BY raised_at, id`).all(caseId) as StoredAlert[];
  }

  get(id: string): StoredAlert | undefined {
    return this.db.prepare(`SELECT ${COLUMNS} FROM alerts WHERE id = ?`).get(id) as StoredAlert | undefined;
  }
}

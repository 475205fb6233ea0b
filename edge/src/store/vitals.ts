import type { SqliteDatabase } from './database.js';
import type { VitalSign, VitalSignWrite } from './types.js';

/** Per item: true when stored now, false when (device, seq, code) was already stored. */
export type VitalInsertResult = boolean;

export function vitalSignWriter(db: SqliteDatabase): (items: readonly VitalSignWrite[]) => VitalInsertResult[] {
  const insert = db.prepare(
    `INSERT INTO vital_signs (device_ref, seq, code, value, unit, observed_at, received_at, case_ref)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  );
  return (items) =>
    items.map((v) => insert.run(v.deviceRef, v.seq, v.code, v.value, v.unit, v.observedAt, v.receivedAt, v.caseRef).changes === 1);
}

export class VitalSignQueries {
  private readonly byCase;
  private readonly latestByCode;
  private readonly count;
  private readonly attach;

  constructor(db: SqliteDatabase) {
    this.byCase = db.prepare(
      `SELECT d.id AS deviceId, v.seq, v.code, v.value, v.unit, v.observed_at AS observedAt, v.received_at AS receivedAt, c.id AS caseId
       FROM vital_signs v JOIN devices d ON d.ref = v.device_ref JOIN cases c ON c.ref = v.case_ref
       WHERE c.id = ? AND v.received_at > ? ORDER BY v.observed_at, v.device_ref, v.seq, v.code`,
    );
    // The last of forCase's order per code.
    this.latestByCode = db.prepare(
      `SELECT code, value, unit, observedAt FROM (
         SELECT v.code, v.value, v.unit, v.observed_at AS observedAt,
                row_number() OVER (PARTITION BY v.code ORDER BY v.observed_at DESC, v.device_ref DESC, v.seq DESC) AS newest
         FROM vital_signs v JOIN cases c ON c.ref = v.case_ref WHERE c.id = ?)
       WHERE newest = 1 ORDER BY code`,
    );
    this.count = db.prepare('SELECT count(*) AS n FROM vital_signs');
    this.attach = db.prepare(
      `UPDATE vital_signs SET case_ref = (SELECT ref FROM cases WHERE id = ?)
       WHERE case_ref IS NULL AND device_ref = (SELECT ref FROM devices WHERE id = ?) AND observed_at >= ?`,
    );
  }

  /** The case's vital signs in time order; only those received after receivedAfter (epoch ms) when given. */
  forCase(caseId: string, receivedAfter = -1): VitalSign[] {
    return this.byCase.all(caseId, receivedAfter) as VitalSign[];
  }

  /** Each code's newest reading in the case: what a pre-arrival alert carries. */
  latestPerCode(caseId: string): Array<Pick<VitalSign, 'code' | 'value' | 'unit' | 'observedAt'>> {
    return this.latestByCode.all(caseId) as Array<Pick<VitalSign, 'code' | 'value' | 'unit' | 'observedAt'>>;
  }

  total(): number {
    return (this.count.get() as { n: number }).n;
  }

  /** Samples that arrived while no case was active are kept; this attaches them to a case. */
  attachUnassigned(caseId: string, deviceId: string, since: number): number {
    return this.attach.run(caseId, deviceId, since).changes;
  }
}

import { randomUUID } from 'node:crypto';
import { Hema3nError } from '../errors.js';
import type { StoredIntervention, StoredMedication, StoredNote } from './case-content.js';
import type { SqliteDatabase } from './database.js';

/** A dose-check warning as it stood when the administration was recorded. */
export interface RecordedWarning {
  readonly kind: string;
  readonly text: string;
}

export interface MedicationWrite extends Omit<StoredMedication, 'id'> {
  readonly warnings: readonly RecordedWarning[];
  /** The crew's stated reason for giving it despite warnings that needed an override. */
  readonly overrideReason: string | null;
}

export interface RecordedMedication extends StoredMedication {
  readonly warnings: readonly RecordedWarning[];
  readonly overrideReason: string | null;
}

export interface InterventionWrite {
  readonly code: string;
  readonly display: string;
  readonly performedAt: number;
  readonly performerId: string;
  readonly details: Readonly<Record<string, unknown>>;
}

/**
 * Where a case stands on its way to dispatch. `receivedAt` is the time of the cloud's verified
 * receipt (sync_cases.last_receipt_at, written by the sync worker); it counts only when it is
 * at least as new as the case's latest queued change.
 */
export interface CaseSyncState {
  readonly state: 'queued' | 'sent' | 'received' | 'held';
  readonly pending: number;
  readonly sent: number;
  readonly quarantined: number;
  readonly lastChangeAt: number | null;
  readonly receivedAt: number | null;
}

/**
 * What the crew records on a case from the tablet: notes, interventions, medications given.
 * Each write queues the case in the outbox in the same transaction, as every case change does.
 */
export class CareRepository {
  constructor(private readonly db: SqliteDatabase) {}

  addNote(caseId: string, input: { authorId: string; text: string; now: number }): StoredNote {
    const note: StoredNote = { id: randomUUID(), authorId: input.authorId, text: input.text, createdAt: input.now };
    this.write(caseId, 'DocumentReference', note.id, input.now, () =>
      this.db.prepare('INSERT INTO notes (id, case_id, author_id, text, created_at) VALUES (?, ?, ?, ?, ?)').run(note.id, caseId, note.authorId, note.text, note.createdAt),
    );
    return note;
  }

  addIntervention(caseId: string, input: InterventionWrite & { now: number }): StoredIntervention {
    const stored: StoredIntervention = { id: randomUUID(), code: input.code, display: input.display, performedAt: input.performedAt, performerId: input.performerId };
    this.write(caseId, 'Procedure', stored.id, input.now, () =>
      this.db
        .prepare('INSERT INTO interventions (id, case_id, code, display, performed_at, performer_id, details) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(stored.id, caseId, stored.code, stored.display, stored.performedAt, stored.performerId, JSON.stringify(input.details)),
    );
    return stored;
  }

  addMedication(caseId: string, input: MedicationWrite & { now: number }): RecordedMedication {
    const { now: _now, ...fields } = input;
    const stored: RecordedMedication = { id: randomUUID(), ...fields };
    this.write(caseId, 'MedicationAdministration', stored.id, input.now, () =>
      this.db
        .prepare(
          `INSERT INTO medication_administrations (id, case_id, medication, dose, dose_unit, route, given_at, performer_id, warnings, override_reason)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          stored.id, caseId, stored.medication, stored.dose, stored.doseUnit, stored.route, stored.givenAt, stored.performerId,
          JSON.stringify(stored.warnings), stored.overrideReason,
        ),
    );
    return stored;
  }

  /** The medications of a case with the warnings shown and any override reason. */
  medications(caseId: string): RecordedMedication[] {
    const rows = this.db
      .prepare(
        `SELECT id, medication, dose, dose_unit AS doseUnit, route, given_at AS givenAt, performer_id AS performerId, warnings,
           override_reason AS overrideReason FROM medication_administrations WHERE case_id = ? ORDER BY given_at, id`,
      )
      .all(caseId) as Array<Omit<RecordedMedication, 'warnings'> & { warnings: string }>;
    return rows.map((row) => ({ ...row, warnings: JSON.parse(row.warnings) as RecordedWarning[] }));
  }

  /**
   * A crew member cares for a case when it is the appliance's active case (the crew on board is
   * working it), or when they created it, moved its timeline, or recorded anything on it.
   */
  inCareOf(caseId: string, crewId: string): boolean {
    const row = this.db
      .prepare(
        `SELECT EXISTS (SELECT 1 FROM appliance_state WHERE key = 'active_case_id' AND value = ?)
             OR EXISTS (SELECT 1 FROM case_events WHERE case_id = ? AND actor = ?)
             OR EXISTS (SELECT 1 FROM notes WHERE case_id = ? AND author_id = ?)
             OR EXISTS (SELECT 1 FROM interventions WHERE case_id = ? AND performer_id = ?)
             OR EXISTS (SELECT 1 FROM medication_administrations WHERE case_id = ? AND performer_id = ?) AS cares`,
      )
      .get(caseId, caseId, crewId, caseId, crewId, caseId, crewId, caseId, crewId) as { cares: number };
    return row.cares === 1;
  }

  syncState(caseId: string): CaseSyncState {
    const counts = this.db
      .prepare(
        `SELECT coalesce(sum(state = 'pending'), 0) AS pending, coalesce(sum(state = 'sent'), 0) AS sent,
           coalesce(sum(state = 'quarantined'), 0) AS quarantined, max(created_at) AS lastChangeAt FROM outbox WHERE case_id = ?`,
      )
      .get(caseId) as { pending: number; sent: number; quarantined: number; lastChangeAt: number | null };
    const receipt = this.db.prepare('SELECT last_receipt_at AS at FROM sync_cases WHERE case_id = ?').get(caseId) as { at: number | null } | undefined;
    const receivedAt = receipt?.at ?? null;
    const received = counts.pending === 0 && receivedAt !== null && counts.lastChangeAt !== null && receivedAt >= counts.lastChangeAt;
    const state = counts.quarantined > 0 ? 'held' : counts.pending > 0 || counts.sent === 0 ? 'queued' : received ? 'received' : 'sent';
    return { ...counts, state, receivedAt };
  }

  private write(caseId: string, resourceType: string, resourceId: string, now: number, insert: () => void): void {
    this.db.transaction(() => {
      const row = this.db.prepare('SELECT acuity FROM cases WHERE id = ?').get(caseId) as { acuity: number | null } | undefined;
      if (!row) throw new Hema3nError('NOT_FOUND', `No case ${caseId}`);
      insert();
      this.db.prepare('UPDATE cases SET updated_at = ? WHERE id = ?').run(now, caseId);
      // Critical cases (ESI 1-2) sync first, as for every other case change.
      const priority = row.acuity !== null && row.acuity <= 2 ? 1 : 3;
      this.db
        .prepare('INSERT INTO outbox (case_id, resource_type, resource_id, priority, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(caseId, resourceType, resourceId, priority, now);
    }).immediate();
  }
}

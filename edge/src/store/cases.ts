import { randomUUID } from 'node:crypto';
import { Hema3nError } from '../errors.js';
import type { SqliteDatabase } from './database.js';
import type { CaseEvent, CaseRecord, CaseStatus, CaseSummary, Patient } from './types.js';

const SUMMARY = `id, incident_number AS incidentNumber, status, acuity, eta_at AS etaAt, created_at AS createdAt, updated_at AS updatedAt`;
const ACTIVE_CASE_KEY = 'active_case_id';
const ARRIVED: ReadonlySet<CaseStatus> = new Set(['at_destination', 'handoff', 'closed']);

interface PatientRow {
  id: string;
  unidentified: number;
  givenName: string | null;
  familyName: string | null;
  birthDate: string | null;
  ageYears: number | null;
  sex: Patient['sex'];
  weightKg: number | null;
  allergies: string;
  homeMedications: string;
}

export type PatientUpdate = Partial<Omit<Patient, 'id' | 'unidentified'>>;

/**
 * Cases, their patient and status timeline. Every change also queues the case in the outbox
 * in the same transaction, so a crash can never leave a change the cloud will not hear of.
 */
export class CaseRepository {
  /** Read on every device message, so prepared once. */
  private readonly activeCaseQuery;
  /**
   * The active case as read in this turn of the event loop: a burst of device messages read
   * together shares one lookup. Dropped at the next turn, so another process's change (the CLI)
   * is seen at once, and by this connection's own changes to it.
   */
  private activeInTurn: { readonly value: { id: string; ref: number } | null } | undefined;

  constructor(private readonly db: SqliteDatabase) {
    this.activeCaseQuery = db.prepare(`SELECT c.id, c.ref FROM appliance_state s JOIN cases c ON c.id = s.value WHERE s.key = ?`);
  }

  create(input: { incidentNumber?: string | undefined; actor: string; now: number }): CaseSummary {
    const caseId = randomUUID();
    const patientId = randomUUID();
    this.db.transaction(() => {
      this.db.prepare('INSERT INTO patients (id, created_at, updated_at) VALUES (?, ?, ?)').run(patientId, input.now, input.now);
      this.db
        .prepare(`INSERT INTO cases (id, incident_number, patient_id, status, created_at, updated_at) VALUES (?, ?, ?, 'dispatched', ?, ?)`)
        .run(caseId, input.incidentNumber ?? null, patientId, input.now, input.now);
      this.insertEvent(caseId, 'dispatched', input.now, input.actor);
      this.setActive(caseId);
      this.enqueue(caseId, input.now);
    }).immediate();
    return this.summary(caseId);
  }

  list(): CaseSummary[] {
    return this.db.prepare(`SELECT ${SUMMARY} FROM cases ORDER BY created_at DESC, id`).all() as CaseSummary[];
  }

  summary(id: string): CaseSummary {
    const row = this.db.prepare(`SELECT ${SUMMARY} FROM cases WHERE id = ?`).get(id) as CaseSummary | undefined;
    if (!row) throw new Hema3nError('NOT_FOUND', `No case ${id}`);
    return row;
  }

  get(id: string): CaseRecord {
    const summary = this.summary(id);
    const { chiefComplaint, patientId } = this.db
      .prepare('SELECT chief_complaint AS chiefComplaint, patient_id AS patientId FROM cases WHERE id = ?')
      .get(id) as { chiefComplaint: string | null; patientId: string };
    const timeline = this.db
      .prepare('SELECT status, at, actor FROM case_events WHERE case_id = ? ORDER BY at, id')
      .all(id) as CaseEvent[];
    return { ...summary, chiefComplaint, patient: this.patient(patientId), timeline };
  }

  setStatus(id: string, status: CaseStatus, actor: string, now: number): CaseSummary {
    this.db.transaction(() => {
      this.summary(id);
      this.db.prepare('UPDATE cases SET status = ?, updated_at = ? WHERE id = ?').run(status, now, id);
      // Arrived: an ETA would only mislead dispatch from here on.
      if (ARRIVED.has(status)) this.db.prepare('UPDATE cases SET eta_at = NULL WHERE id = ?').run(id);
      this.insertEvent(id, status, now, actor);
      if (status === 'closed' && this.activeCaseId() === id) this.clearActive();
      this.enqueue(id, now);
    }).immediate();
    return this.summary(id);
  }

  /** The expected arrival at the destination (null clears it); queued for sync like every case change. */
  setEta(id: string, etaAt: number | null, now: number): void {
    this.db.transaction(() => {
      this.summary(id);
      this.db.prepare('UPDATE cases SET eta_at = ?, updated_at = ? WHERE id = ?').run(etaAt, now, id);
      this.enqueue(id, now);
    }).immediate();
  }

  updateClinical(id: string, fields: { chiefComplaint?: string | null; acuity?: number | null }, now: number): void {
    this.db.transaction(() => {
      this.summary(id);
      if (fields.chiefComplaint !== undefined) this.db.prepare('UPDATE cases SET chief_complaint = ? WHERE id = ?').run(fields.chiefComplaint, id);
      if (fields.acuity !== undefined) this.db.prepare('UPDATE cases SET acuity = ? WHERE id = ?').run(fields.acuity, id);
      this.db.prepare('UPDATE cases SET updated_at = ? WHERE id = ?').run(now, id);
      this.enqueue(id, now);
    }).immediate();
  }

  updatePatient(caseId: string, update: PatientUpdate, now: number): Patient {
    return this.db.transaction(() => {
      const { patientId } = this.db.prepare('SELECT patient_id AS patientId FROM cases WHERE id = ?').get(caseId) as
        | { patientId: string }
        | undefined ?? { patientId: undefined };
      if (!patientId) throw new Hema3nError('NOT_FOUND', `No case ${caseId}`);
      const current = this.patient(patientId);
      const next = { ...current, ...update };
      const identified = Boolean(next.givenName || next.familyName);
      this.db
        .prepare(
          `UPDATE patients SET unidentified = ?, given_name = ?, family_name = ?, birth_date = ?, age_years = ?, sex = ?,
             weight_kg = ?, allergies = ?, home_medications = ?, updated_at = ? WHERE id = ?`,
        )
        .run(
          identified ? 0 : 1, next.givenName, next.familyName, next.birthDate, next.ageYears, next.sex, next.weightKg,
          JSON.stringify(next.allergies), JSON.stringify(next.homeMedications), now, patientId,
        );
      this.db.prepare('UPDATE cases SET updated_at = ? WHERE id = ?').run(now, caseId);
      this.enqueue(caseId, now);
      return this.patient(patientId);
    }).immediate();
  }

  /** The compact key the high-rate tables use for a case. */
  refOf(id: string): number {
    const row = this.db.prepare('SELECT ref FROM cases WHERE id = ?').get(id) as { ref: number } | undefined;
    if (!row) throw new Hema3nError('NOT_FOUND', `No case ${id}`);
    return row.ref;
  }

  /** The active case as the high-rate tables reference it, or null with no active case. */
  activeCase(): { id: string; ref: number } | null {
    // Inside a transaction the answer may yet be rolled back: never remembered.
    if (this.db.inTransaction) return this.readActiveCase();
    if (!this.activeInTurn) {
      this.activeInTurn = { value: this.readActiveCase() };
      setImmediate(() => (this.activeInTurn = undefined));
    }
    return this.activeInTurn.value;
  }

  private readActiveCase(): { id: string; ref: number } | null {
    const row = this.activeCaseQuery.get(ACTIVE_CASE_KEY) as { id: string; ref: number } | undefined;
    return row ?? null;
  }

  activeCaseId(): string | null {
    const row = this.db.prepare('SELECT value FROM appliance_state WHERE key = ?').get(ACTIVE_CASE_KEY) as { value: string } | undefined;
    return row?.value ?? null;
  }

  private patient(id: string): Patient {
    const row = this.db
      .prepare(
        `SELECT id, unidentified, given_name AS givenName, family_name AS familyName, birth_date AS birthDate, age_years AS ageYears,
           sex, weight_kg AS weightKg, allergies, home_medications AS homeMedications FROM patients WHERE id = ?`,
      )
      .get(id) as PatientRow;
    return {
      ...row,
      unidentified: row.unidentified === 1,
      allergies: JSON.parse(row.allergies) as string[],
      homeMedications: JSON.parse(row.homeMedications) as string[],
    };
  }

  private insertEvent(caseId: string, status: CaseStatus, at: number, actor: string): void {
    this.db.prepare('INSERT INTO case_events (case_id, status, at, actor) VALUES (?, ?, ?, ?)').run(caseId, status, at, actor);
  }

  private setActive(caseId: string): void {
    this.activeInTurn = undefined;
    this.db
      .prepare('INSERT INTO appliance_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
      .run(ACTIVE_CASE_KEY, caseId);
  }

  private clearActive(): void {
    this.activeInTurn = undefined;
    this.db.prepare('DELETE FROM appliance_state WHERE key = ?').run(ACTIVE_CASE_KEY);
  }

  /** Critical cases (ESI 1-2) sync first. */
  private enqueue(caseId: string, now: number): void {
    const acuity = (this.db.prepare('SELECT acuity FROM cases WHERE id = ?').get(caseId) as { acuity: number | null }).acuity;
    const priority = acuity !== null && acuity <= 2 ? 1 : 3;
    this.db
      .prepare(`INSERT INTO outbox (case_id, resource_type, resource_id, priority, created_at) VALUES (?, 'Encounter', ?, ?, ?)`)
      .run(caseId, caseId, priority, now);
  }
}

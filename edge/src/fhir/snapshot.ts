import type { CaseStatus, CrewRole, Patient, StoredIntervention, StoredMediaInfo, StoredMedication, StoredNote } from '../store/index.js';
import type { EsiLevel, News2Risk } from '../clinical/index.js';

/**
 * Everything the FHIR mapping needs about one case, as plain data. The integrator reads it from
 * the store; this module never touches the database. Times are milliseconds since the epoch (UTC).
 */
export interface CaseSnapshot {
  readonly applianceId: string;
  readonly case: SnapshotCase;
  readonly patient: SnapshotPatient;
  readonly crew: readonly SnapshotCrewMember[];
  readonly devices: readonly SnapshotDevice[];
  readonly vitals: readonly SnapshotVital[];
  readonly assessments: readonly SnapshotAssessment[];
  readonly notes: readonly SnapshotNote[];
  readonly interventions: readonly SnapshotIntervention[];
  readonly medications: readonly SnapshotMedication[];
  readonly media: readonly SnapshotMedia[];
  /**
   * Ids of photos and recordings the crew deleted since the case last reached the cloud: their
   * Media and Binary are deleted there too (a photo of the wrong patient must not live on anywhere).
   */
  readonly deletedMedia?: readonly string[];
}

export interface SnapshotCase {
  readonly id: string;
  readonly incidentNumber: string | null;
  readonly status: CaseStatus;
  readonly timeline: readonly SnapshotCaseEvent[];
  readonly acuity: EsiLevel | null;
  readonly chiefComplaint: string | null;
  /** Expected arrival at the destination (epoch ms), as the crew set it. */
  readonly etaAt?: number | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface SnapshotCaseEvent {
  readonly status: CaseStatus;
  readonly at: number;
  readonly actor: string;
}

/** The patient as the store holds it (birthDate: YYYY, YYYY-MM or YYYY-MM-DD). */
export type SnapshotPatient = Patient;

export interface SnapshotCrewMember {
  readonly id: string;
  readonly name: string;
  readonly role: CrewRole;
}

export interface SnapshotDevice {
  readonly id: string;
  readonly kind: string;
}

export const VITAL_CODES = ['HR', 'RR', 'SPO2', 'SBP', 'DBP', 'MAP', 'TEMP', 'ETCO2', 'GLUCOSE', 'GCS', 'PAIN'] as const;
export type VitalCode = (typeof VITAL_CODES)[number];

/** One measurement; (deviceId, seq, code) is unique, and SBP and DBP of one reading share deviceId and seq. */
export interface SnapshotVital {
  readonly deviceId: string;
  readonly seq: number;
  readonly code: VitalCode;
  readonly value: number;
  /** The canonical UCUM unit of the code: '/min', '%', 'mm[Hg]', 'Cel', 'mg/dL' or '{score}'. */
  readonly unit: string;
  readonly observedAt: number;
}

export type AssessmentSource = 'rules' | 'model' | 'merged';

export interface SnapshotAssessment {
  readonly id: string;
  readonly source: AssessmentSource;
  readonly createdAt: number;
  readonly acuity: EsiLevel | null;
  readonly result: AssessmentResult;
}

export interface AssessmentResult {
  readonly news2?: { readonly total: number; readonly risk: News2Risk };
  readonly model?: { readonly id: string; readonly version: string };
  readonly adapter?: { readonly specialty: string; readonly version: string } | null;
  readonly conditions?: readonly TriageCondition[];
  /** The model's probability that its top condition is right, 0-1. */
  readonly confidence?: number;
}

export interface TriageCondition {
  /** The model's label id, e.g. 'stemi'. */
  readonly code: string;
  readonly label: string;
  /** 0-1. */
  readonly probability: number;
}

/** Notes, interventions and medications are mapped as the store records them. */
export type SnapshotNote = StoredNote;
export type SnapshotIntervention = StoredIntervention;
export type SnapshotMedication = StoredMedication;

/** A photo or recording as the store describes it (sha256 in lower-case hex). */
export interface SnapshotMedia extends StoredMediaInfo {
  /** The file itself; when absent the bundle carries only a reference (the bytes travel as media chunks). */
  readonly data?: Buffer;
}

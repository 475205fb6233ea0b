import type { CaseStatus, CrewRole, Patient } from '../store/index.js';
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

export interface SnapshotNote {
  readonly id: string;
  readonly authorId: string;
  readonly text: string;
  readonly createdAt: number;
}

export interface SnapshotIntervention {
  readonly id: string;
  readonly code: string;
  readonly display: string;
  readonly performedAt: number;
  readonly performerId: string;
}

export interface SnapshotMedication {
  readonly id: string;
  readonly medication: string;
  readonly dose: number;
  readonly doseUnit: string;
  readonly route: string;
  readonly givenAt: number;
  readonly performerId: string;
}

export interface SnapshotMedia {
  readonly id: string;
  readonly kind: 'image' | 'audio';
  readonly contentType: string;
  readonly bytes: number;
  /** Lower-case hex. */
  readonly sha256: string;
  readonly createdAt: number;
  /** The file itself; when absent the bundle carries only a reference (the bytes travel as media chunks). */
  readonly data?: Buffer;
}

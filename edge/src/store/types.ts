export const CASE_STATUSES = [
  'dispatched', 'en_route', 'on_scene', 'patient_contact', 'transporting', 'at_destination', 'handoff', 'closed',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const CREW_ROLES = ['paramedic', 'technician', 'supervisor'] as const;
export type CrewRole = (typeof CREW_ROLES)[number];

/** One measurement from a device, as written. Times in epoch milliseconds; refs from the device and case rows. */
export interface VitalSignWrite {
  readonly deviceRef: number;
  readonly seq: number;
  readonly code: string;
  readonly value: number;
  readonly unit: string;
  readonly observedAt: number;
  readonly receivedAt: number;
  readonly caseRef: number | null;
}

/** One stored measurement, as read. */
export interface VitalSign {
  readonly deviceId: string;
  readonly seq: number;
  readonly code: string;
  readonly value: number;
  readonly unit: string;
  readonly observedAt: number;
  readonly receivedAt: number;
  readonly caseId: string | null;
}

export interface CaseSummary {
  readonly id: string;
  readonly incidentNumber: string | null;
  readonly status: CaseStatus;
  readonly acuity: number | null;
  /** Expected arrival at the destination (epoch ms), as the crew last set it; null when not set. */
  readonly etaAt: number | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface CaseEvent {
  readonly status: CaseStatus;
  readonly at: number;
  readonly actor: string;
}

export interface Patient {
  readonly id: string;
  readonly unidentified: boolean;
  readonly givenName: string | null;
  readonly familyName: string | null;
  readonly birthDate: string | null;
  readonly ageYears: number | null;
  readonly sex: 'male' | 'female' | 'other' | 'unknown' | null;
  readonly weightKg: number | null;
  readonly allergies: readonly string[];
  readonly homeMedications: readonly string[];
}

export interface CaseRecord extends CaseSummary {
  readonly chiefComplaint: string | null;
  readonly patient: Patient;
  readonly timeline: readonly CaseEvent[];
}

export interface CrewMember {
  readonly id: string;
  readonly name: string;
  readonly role: CrewRole;
  readonly createdAt: number;
}

export interface Device {
  readonly ref: number;
  readonly id: string;
  readonly kind: string;
  readonly createdAt: number;
  readonly revokedAt: number | null;
  readonly lastSeenAt: number | null;
}

import type { Coding } from '@medplum/fhirtypes';
import { LOINC } from './systems.js';
import type { VitalCode } from './snapshot.js';

export type ObservationCategory = 'vital-signs' | 'laboratory' | 'survey';

export interface VitalDefinition {
  /** LOINC codings, the preferred one first. */
  readonly codings: readonly Coding[];
  readonly text: string;
  /** The canonical UCUM code the snapshot must carry. */
  readonly ucum: string;
  /** The unit as people read it. */
  readonly unitLabel: string;
  readonly category: ObservationCategory;
}

const loinc = (code: string, display: string): Coding => ({ system: LOINC, code, display });

/**
 * One row per appliance vital code. Categories follow what the value is: point-of-care glucose is
 * a laboratory result, GCS and pain are scored assessments (survey), the rest are vital signs.
 * SBP and DBP are components of the blood-pressure panel (BLOOD_PRESSURE), never alone.
 */
export const VITALS: Readonly<Record<VitalCode, VitalDefinition>> = {
  HR: { codings: [loinc('8867-4', 'Heart rate')], text: 'Heart rate', ucum: '/min', unitLabel: 'beats/minute', category: 'vital-signs' },
  RR: { codings: [loinc('9279-1', 'Respiratory rate')], text: 'Respiratory rate', ucum: '/min', unitLabel: 'breaths/minute', category: 'vital-signs' },
  SPO2: {
    codings: [loinc('59408-5', 'Oxygen saturation in Arterial blood by Pulse oximetry'), loinc('2708-6', 'Oxygen saturation in Arterial blood')],
    text: 'Oxygen saturation (SpO2)',
    ucum: '%',
    unitLabel: '%',
    category: 'vital-signs',
  },
  SBP: { codings: [loinc('8480-6', 'Systolic blood pressure')], text: 'Systolic blood pressure', ucum: 'mm[Hg]', unitLabel: 'mmHg', category: 'vital-signs' },
  DBP: { codings: [loinc('8462-4', 'Diastolic blood pressure')], text: 'Diastolic blood pressure', ucum: 'mm[Hg]', unitLabel: 'mmHg', category: 'vital-signs' },
  MAP: { codings: [loinc('8478-0', 'Mean blood pressure')], text: 'Mean arterial pressure', ucum: 'mm[Hg]', unitLabel: 'mmHg', category: 'vital-signs' },
  TEMP: { codings: [loinc('8310-5', 'Body temperature')], text: 'Body temperature', ucum: 'Cel', unitLabel: '°C', category: 'vital-signs' },
  ETCO2: {
    codings: [loinc('19889-5', 'Carbon dioxide [Partial pressure] in Exhaled gas --at end expiration')],
    text: 'End-tidal CO2',
    ucum: 'mm[Hg]',
    unitLabel: 'mmHg',
    category: 'vital-signs',
  },
  GLUCOSE: { codings: [loinc('2339-0', 'Glucose [Mass/volume] in Blood')], text: 'Blood glucose', ucum: 'mg/dL', unitLabel: 'mg/dL', category: 'laboratory' },
  GCS: { codings: [loinc('9269-2', 'Glasgow coma score total')], text: 'Glasgow Coma Scale total', ucum: '{score}', unitLabel: 'score', category: 'survey' },
  PAIN: {
    codings: [loinc('72514-3', 'Pain severity - 0-10 verbal numeric rating [Score] - Reported')],
    text: 'Pain score (0-10)',
    ucum: '{score}',
    unitLabel: 'score',
    category: 'survey',
  },
};

export const BLOOD_PRESSURE = {
  codings: [loinc('85354-9', 'Blood pressure panel with all children optional')],
  text: 'Blood pressure',
} as const;

/** Body weight and age come from the patient record, not from a device. */
export const BODY_WEIGHT = { codings: [loinc('29463-7', 'Body weight')], text: 'Body weight' } as const;
export const AGE = { codings: [loinc('30525-0', 'Age')], text: 'Age' } as const;

const CATEGORY_DISPLAY: Readonly<Record<ObservationCategory, string>> = {
  'vital-signs': 'Vital Signs',
  laboratory: 'Laboratory',
  survey: 'Survey',
};

export function categoryDisplay(category: ObservationCategory): string {
  return CATEGORY_DISPLAY[category];
}

export function isVitalCode(code: string): code is VitalCode {
  return Object.hasOwn(VITALS, code);
}

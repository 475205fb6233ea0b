/**
 * The vitals feature vector: one normalised value and one "present" flag per vital. A missing
 * vital is written as the feature's missing value (0, i.e. the population mean) with its present
 * flag 0, so the network can tell "not measured" from "measured and normal".
 */
export const VITAL_NAMES = [
  'heart_rate', 'respiratory_rate', 'systolic_bp', 'diastolic_bp', 'spo2', 'temperature',
  'gcs_total', 'blood_glucose', 'pain_score', 'age_years', 'supplemental_oxygen',
] as const;
export type VitalName = (typeof VITAL_NAMES)[number];

/** Raw observations in the units of `VITAL_FEATURES[name].source.unit`; an absent key is a missing vital. */
export type Vitals = Partial<Record<VitalName, number>>;

export interface VitalFeatureSpec {
  readonly name: VitalName;
  /**
   * Where the raw value comes from: `field` is the edge/src/clinical ScoreInput field where one exists
   * (diastolicBP and bloodGlucose have none), `loinc` the observation code, `unit` UCUM.
   */
  readonly source: { readonly field: string; readonly loinc: string | null; readonly unit: string; readonly note: string };
  /** Fixed reference values (not fitted), so training and runtime cannot drift apart. */
  readonly mean: number;
  readonly std: number;
  /** Written into the value slot when the vital is missing (normalised units). */
  readonly missingValue: number;
}

const spec = (
  name: VitalName, field: string, loinc: string | null, unit: string, mean: number, std: number, note: string,
): VitalFeatureSpec => ({ name, source: { field, loinc, unit, note }, mean, std, missingValue: 0 });

export const VITAL_FEATURES: readonly VitalFeatureSpec[] = [
  spec('heart_rate', 'heartRate', '8867-4', '/min', 90, 25, 'latest heart rate'),
  spec('respiratory_rate', 'respiratoryRate', '9279-1', '/min', 19, 7, 'latest respiratory rate'),
  spec('systolic_bp', 'systolicBP', '8480-6', 'mm[Hg]', 120, 28, 'latest systolic blood pressure'),
  spec('diastolic_bp', 'diastolicBP', '8462-4', 'mm[Hg]', 75, 15, 'latest diastolic blood pressure'),
  spec('spo2', 'spo2', '59408-5', '%', 95, 5, 'latest peripheral oxygen saturation'),
  spec('temperature', 'temperature', '8310-5', 'Cel', 37.2, 1.2, 'latest body temperature'),
  spec('gcs_total', 'gcs', '9269-2', '{score}', 13.5, 3, 'Glasgow coma scale total 3..15 = gcs.eye + gcs.verbal + gcs.motor'),
  spec('blood_glucose', 'bloodGlucose', '2339-0', 'mg/dL', 110, 45, 'capillary blood glucose (mmol/L x 18.016)'),
  spec('pain_score', 'painScore', '72514-3', '{score}', 4, 3, 'numeric pain rating 0..10'),
  spec('age_years', 'ageYears', '30525-0', 'a', 48, 24, 'age in years, fractional for infants'),
  spec('supplemental_oxygen', 'onOxygen', null, '1', 0, 1, '1 when receiving supplemental oxygen, 0 on room air (NEWS2 "air or oxygen")'),
];

export const VITALS_VALUE_COUNT = VITAL_FEATURES.length;
export const VITALS_SIZE = 2 * VITALS_VALUE_COUNT;

/** Index of the present flag of value feature `i`: flags follow the values in the same order. */
export const presentIndexOf = (i: number): number => VITALS_VALUE_COUNT + i;

export function encodeVitals(vitals: Vitals, out: Float32Array = new Float32Array(VITALS_SIZE), offset = 0): Float32Array {
  VITAL_FEATURES.forEach((feature, i) => {
    const raw = vitals[feature.name];
    const present = raw !== undefined && Number.isFinite(raw);
    out[offset + i] = present ? (raw - feature.mean) / feature.std : feature.missingValue;
    out[offset + presentIndexOf(i)] = present ? 1 : 0;
  });
  return out;
}

/** The vector for a case whose vitals modality is absent altogether. */
export const absentVitals = (): Float32Array => encodeVitals({});

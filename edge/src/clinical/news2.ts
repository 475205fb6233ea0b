import type { Consciousness } from './input.js';
import type { BandedVitals } from './vitals.js';

/**
 * NEWS2, Royal College of Physicians, "National Early Warning Score (NEWS) 2: Standardising
 * the assessment of acute-illness severity in the NHS", December 2017 (chart 1 and chart 2).
 * Each band lists the highest value it covers; the first band a value fits scores.
 */
interface Band {
  upTo: number;
  score: number;
}

const RESPIRATION_RATE: readonly Band[] = [
  { upTo: 8, score: 3 },
  { upTo: 11, score: 1 },
  { upTo: 20, score: 0 },
  { upTo: 24, score: 2 },
  { upTo: Infinity, score: 3 },
];
const SPO2_SCALE_1: readonly Band[] = [
  { upTo: 91, score: 3 },
  { upTo: 93, score: 2 },
  { upTo: 95, score: 1 },
  { upTo: Infinity, score: 0 },
];
// Scale 2 (target 88-92 %, hypercapnic respiratory failure): up to 92 % scores the same on
// air or oxygen; from 93 % only oxygen-driven saturation scores, as over-oxygenation.
const SPO2_SCALE_2_BELOW_TARGET: readonly Band[] = [
  { upTo: 83, score: 3 },
  { upTo: 85, score: 2 },
  { upTo: 87, score: 1 },
  { upTo: 92, score: 0 },
];
const SPO2_SCALE_2_ABOVE_TARGET_ON_OXYGEN: readonly Band[] = [
  { upTo: 94, score: 1 },
  { upTo: 96, score: 2 },
  { upTo: Infinity, score: 3 },
];
const SYSTOLIC_BP: readonly Band[] = [
  { upTo: 90, score: 3 },
  { upTo: 100, score: 2 },
  { upTo: 110, score: 1 },
  { upTo: 219, score: 0 },
  { upTo: Infinity, score: 3 },
];
const PULSE: readonly Band[] = [
  { upTo: 40, score: 3 },
  { upTo: 50, score: 1 },
  { upTo: 90, score: 0 },
  { upTo: 110, score: 1 },
  { upTo: 130, score: 2 },
  { upTo: Infinity, score: 3 },
];
// Temperature is banded in tenths of a degree, so "35.1-36.0" is "above 35.0 up to 36.0".
const TEMPERATURE: readonly Band[] = [
  { upTo: 35.0, score: 3 },
  { upTo: 36.0, score: 1 },
  { upTo: 38.0, score: 0 },
  { upTo: 39.0, score: 1 },
  { upTo: Infinity, score: 2 },
];
const SUPPLEMENTAL_OXYGEN_SCORE = 2;
const NEWS2_MINIMUM_AGE = 16;

export const NEWS2_PARAMETERS = [
  'respiratoryRate', 'spo2', 'onOxygen', 'systolicBP', 'heartRate', 'consciousness', 'temperature',
] as const;
export type News2Parameter = (typeof NEWS2_PARAMETERS)[number];

export type News2Risk = 'low' | 'low-medium' | 'medium' | 'high';

/** `value` is the banded (rounded) value; both are null when the parameter was not given. */
export interface ParameterScore<V> {
  value: V | null;
  score: number | null;
}

export interface News2Result {
  /** Sum of the parameters that could be scored: a lower bound when `partial`. */
  total: number;
  risk: News2Risk;
  /**
   * False under 16 years: the RCP did not validate NEWS2 in children, so the score is shown
   * but drives nothing. True from 16 years and when the age is unknown.
   */
  validForAge: boolean;
  partial: boolean;
  missing: News2Parameter[];
  parameters: {
    respiratoryRate: ParameterScore<number>;
    spo2: ParameterScore<number> & { scale: 1 | 2 };
    onOxygen: ParameterScore<boolean>;
    systolicBP: ParameterScore<number>;
    heartRate: ParameterScore<number>;
    consciousness: ParameterScore<Consciousness>;
    temperature: ParameterScore<number>;
  };
}

export function scoreNews2(vitals: BandedVitals): News2Result {
  const parameters: News2Result['parameters'] = {
    respiratoryRate: banded(vitals.respiratoryRate, RESPIRATION_RATE),
    spo2: { ...spo2Score(vitals), scale: vitals.spo2Scale },
    onOxygen: { value: vitals.onOxygen ?? null, score: oxygenScore(vitals.onOxygen) },
    systolicBP: banded(vitals.systolicBP, SYSTOLIC_BP),
    heartRate: banded(vitals.heartRate, PULSE),
    consciousness: { value: vitals.consciousness ?? null, score: consciousnessScore(vitals.consciousness) },
    temperature: banded(vitals.temperature, TEMPERATURE),
  };
  const scores = NEWS2_PARAMETERS.map((name) => parameters[name].score);
  const total = scores.reduce<number>((sum, score) => sum + (score ?? 0), 0);
  const missing = NEWS2_PARAMETERS.filter((name) => parameters[name].value === null);
  const anyUnscored = scores.some((score) => score === null);
  const validForAge = vitals.ageYears === undefined || vitals.ageYears >= NEWS2_MINIMUM_AGE;
  return { total, risk: riskBand(total, scores), validForAge, partial: anyUnscored, missing, parameters };
}

/** RCP 2017 clinical risk: a single red score (3) lifts an otherwise low aggregate to low-medium. */
function riskBand(total: number, scores: readonly (number | null)[]): News2Risk {
  if (total >= 7) return 'high';
  if (total >= 5) return 'medium';
  if (scores.includes(3)) return 'low-medium';
  return 'low';
}

function banded(value: number | undefined, bands: readonly Band[]): ParameterScore<number> {
  if (value === undefined) return { value: null, score: null };
  return { value, score: bandScore(value, bands) };
}

function bandScore(value: number, bands: readonly Band[]): number {
  const band = bands.find((candidate) => value <= candidate.upTo);
  if (!band) throw new RangeError('NEWS2 band table does not cover the value');
  return band.score;
}

// On scale 2 a saturation of 93 % or more cannot be scored without knowing whether the patient
// breathes air (0) or oxygen (1-3); it stays unscored rather than being assumed to be air.
function spo2Score({ spo2, spo2Scale, onOxygen }: BandedVitals): ParameterScore<number> {
  if (spo2 === undefined) return { value: null, score: null };
  if (spo2Scale === 1) return { value: spo2, score: bandScore(spo2, SPO2_SCALE_1) };
  if (spo2 <= 92) return { value: spo2, score: bandScore(spo2, SPO2_SCALE_2_BELOW_TARGET) };
  if (onOxygen === undefined) return { value: spo2, score: null };
  return { value: spo2, score: onOxygen ? bandScore(spo2, SPO2_SCALE_2_ABOVE_TARGET_ON_OXYGEN) : 0 };
}

function oxygenScore(onOxygen: boolean | undefined): number | null {
  if (onOxygen === undefined) return null;
  return onOxygen ? SUPPLEMENTAL_OXYGEN_SCORE : 0;
}

// New confusion scores like V, P and U: any new alteration of consciousness is a red score.
function consciousnessScore(level: Consciousness | undefined): number | null {
  if (level === undefined) return null;
  return level === 'A' ? 0 : 3;
}

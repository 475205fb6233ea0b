import type { Consciousness, ScoreInput } from './input.js';

/** The vitals every score reads, rounded once so that all scores agree on the same numbers. */
export interface BandedVitals {
  respiratoryRate?: number;
  spo2?: number;
  spo2Scale: 1 | 2;
  onOxygen?: boolean;
  systolicBP?: number;
  heartRate?: number;
  consciousness?: Consciousness;
  temperature?: number;
  ageYears?: number;
}

/**
 * The charts band whole numbers (temperature: tenths), so a fractional reading is rounded to
 * the nearest, halves upwards, before banding: RR 8.5 → 9, temperature 35.05 → 35.1.
 * Age is not rounded: age bands are compared on the exact (fractional) age.
 */
export function bandVitals(input: ScoreInput): BandedVitals {
  return {
    respiratoryRate: roundHalfUp(input.respiratoryRate, 0),
    spo2: roundHalfUp(input.spo2, 0),
    spo2Scale: input.spo2Scale ?? 1,
    onOxygen: input.onOxygen,
    systolicBP: roundHalfUp(input.systolicBP, 0),
    heartRate: roundHalfUp(input.heartRate, 0),
    consciousness: input.consciousness,
    temperature: roundHalfUp(input.temperature, 1),
    ageYears: input.ageYears,
  };
}

export function roundHalfUp(value: number, decimals: number): number;
export function roundHalfUp(value: number | undefined, decimals: number): number | undefined;
export function roundHalfUp(value: number | undefined, decimals: number): number | undefined {
  if (value === undefined) return undefined;
  const factor = 10 ** decimals;
  // toPrecision strips binary noise first: 36.05 * 10 is 360.49999999999994 in floating point.
  return Math.round(Number((value * factor).toPrecision(12))) / factor;
}

import type { BandedVitals } from './vitals.js';

export type PediatricAgeBand = 'neonate' | 'infant' | 'toddler' | 'preschool' | 'school-age' | 'adolescent';

export interface VitalRange {
  min: number;
  max: number;
}

export interface PediatricRanges {
  heartRate: VitalRange;
  respiratoryRate: VitalRange;
  systolicBP: VitalRange;
}

export type PediatricVital = keyof PediatricRanges;

export interface OutsideRange {
  vital: PediatricVital;
  value: number;
  direction: 'below' | 'above';
}

export interface PediatricResult {
  ageBand: PediatricAgeBand;
  ranges: PediatricRanges;
  outside: OutsideRange[];
  missing: PediatricVital[];
  /** PALS hypotension: systolic BP below this is hypotensive shock. */
  hypotensionBelow: number;
  hypotensive: boolean | null;
}

const NEONATE_MAX_DAYS = 28;

/** The neonatal and young-infant limits are set in days; ages arrive as fractional years. */
export function youngerThanDays(ageYears: number, days: number): boolean {
  return ageYears < days / 365.25;
}

/**
 * Normal ranges after the AHA PALS Provider Manual (2020), tables of normal heart rate (awake),
 * respiratory rate and systolic BP. Age bands: neonate 0-28 days, infant 1-12 months,
 * toddler 1-2 y, preschool 3-5 y, school age 6-12 y, adolescent 13-17 y.
 * PALS gives no separate neonatal respiratory range, so the infant one applies; its neonatal
 * systolic range is the 96-hour one. School-age systolic BP spans PALS's 6-9 y (97-115) and
 * pre-adolescent 10-12 y (102-120) rows; the adolescent row is PALS's 12-15 y (110-131).
 */
const PALS_RANGES: Readonly<Record<PediatricAgeBand, PediatricRanges>> = {
  neonate: { heartRate: { min: 100, max: 205 }, respiratoryRate: { min: 30, max: 53 }, systolicBP: { min: 67, max: 84 } },
  infant: { heartRate: { min: 100, max: 180 }, respiratoryRate: { min: 30, max: 53 }, systolicBP: { min: 72, max: 104 } },
  toddler: { heartRate: { min: 98, max: 140 }, respiratoryRate: { min: 22, max: 37 }, systolicBP: { min: 86, max: 106 } },
  preschool: { heartRate: { min: 80, max: 120 }, respiratoryRate: { min: 20, max: 28 }, systolicBP: { min: 89, max: 112 } },
  'school-age': { heartRate: { min: 75, max: 118 }, respiratoryRate: { min: 18, max: 25 }, systolicBP: { min: 97, max: 120 } },
  adolescent: { heartRate: { min: 60, max: 100 }, respiratoryRate: { min: 12, max: 20 }, systolicBP: { min: 110, max: 131 } },
};

const PEDIATRIC_VITALS: readonly PediatricVital[] = ['heartRate', 'respiratoryRate', 'systolicBP'];

export function isPediatric(ageYears: number | undefined): ageYears is number {
  return ageYears !== undefined && ageYears < 18;
}

export function pediatricAgeBand(ageYears: number): PediatricAgeBand {
  if (youngerThanDays(ageYears, NEONATE_MAX_DAYS)) return 'neonate';
  if (ageYears < 1) return 'infant';
  if (ageYears < 3) return 'toddler';
  if (ageYears < 6) return 'preschool';
  if (ageYears < 13) return 'school-age';
  return 'adolescent';
}

/**
 * PALS definition of hypotension: SBP < 60 (neonates), < 70 (infants), < 70 + 2 x age in
 * years (1-10 y), < 90 (10 y and older).
 */
export function hypotensionThreshold(ageYears: number): number {
  if (youngerThanDays(ageYears, NEONATE_MAX_DAYS)) return 60;
  if (ageYears < 1) return 70;
  if (ageYears < 10) return 70 + 2 * Math.floor(ageYears);
  return 90;
}

export function assessPediatric(vitals: BandedVitals & { ageYears: number }): PediatricResult {
  const ageBand = pediatricAgeBand(vitals.ageYears);
  const ranges = structuredClone(PALS_RANGES[ageBand]);
  const outside: OutsideRange[] = [];
  const missing: PediatricVital[] = [];
  for (const vital of PEDIATRIC_VITALS) {
    const value = vitals[vital];
    if (value === undefined) missing.push(vital);
    else if (value < ranges[vital].min) outside.push({ vital, value, direction: 'below' });
    else if (value > ranges[vital].max) outside.push({ vital, value, direction: 'above' });
  }
  const hypotensionBelow = hypotensionThreshold(vitals.ageYears);
  const hypotensive = vitals.systolicBP === undefined ? null : vitals.systolicBP < hypotensionBelow;
  return { ageBand, ranges, outside, missing, hypotensionBelow, hypotensive };
}

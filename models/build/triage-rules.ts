/**
 * Compact rule labeller for the training targets: the ESI v4 decision points (Gilboy et al., ESI
 * Implementation Handbook, 2012) with PALS limits for children, NEWS2 >= 7 forcing at least ESI 2
 * in adults, and capillary glucose (dextrose is a life-saving intervention in ESI v4). It labels
 * synthetic data; the appliance's safety floor is the clinical module (edge/src/clinical).
 */
import type { Esi } from './conditions.js';
import type { Vitals } from './vitals-features.js';

export interface TriageObservation {
  readonly vitals: Vitals;
  /** High-risk situation evident from the complaint (chest pain, stroke signs, suicidal, ...). */
  readonly highRisk: boolean;
  /** Needs an immediate life-saving intervention (airway, naloxone, dextrose, active seizure). */
  readonly immediate: boolean;
  /** ESI resources expected in the emergency department. */
  readonly resources: number;
}

export interface News2 {
  readonly total: number;
}

type Band = readonly [upTo: number, points: number];

/** First band whose upper bound is >= value; bands are ordered by bound. */
const points = (value: number | undefined, bands: readonly Band[]): number => {
  if (value === undefined) return 0;
  return bands.find(([upTo]) => value <= upTo)?.[1] ?? 0;
};

const NEWS2_RR: readonly Band[] = [[8, 3], [11, 1], [20, 0], [24, 2], [Infinity, 3]];
const NEWS2_SPO2_SCALE1: readonly Band[] = [[91, 3], [93, 2], [95, 1], [Infinity, 0]];
const NEWS2_SBP: readonly Band[] = [[90, 3], [100, 2], [110, 1], [219, 0], [Infinity, 3]];
const NEWS2_PULSE: readonly Band[] = [[40, 3], [50, 1], [90, 0], [110, 1], [130, 2], [Infinity, 3]];
const NEWS2_TEMP: readonly Band[] = [[35, 3], [36, 1], [38, 0], [39, 1], [Infinity, 2]];

/** NEWS2 over the vitals that are present; a missing parameter scores 0. GCS < 15 counts as new confusion. */
export function news2(v: Vitals): News2 {
  const parts = [
    points(v.respiratory_rate, NEWS2_RR),
    points(v.spo2, NEWS2_SPO2_SCALE1),
    v.supplemental_oxygen === 1 ? 2 : 0,
    points(v.systolic_bp, NEWS2_SBP),
    points(v.heart_rate, NEWS2_PULSE),
    v.gcs_total !== undefined && v.gcs_total < 15 ? 3 : 0,
    points(v.temperature, NEWS2_TEMP),
  ];
  return { total: parts.reduce((a, b) => a + b, 0) };
}

/** NEWS2 is validated from 16 years; an unknown age is taken as adult. */
const news2Applies = (v: Vitals): boolean => v.age_years === undefined || v.age_years >= 16;

const below = (value: number | undefined, limit: number): boolean => value !== undefined && value < limit;
const above = (value: number | undefined, limit: number): boolean => value !== undefined && value > limit;

/** PALS hypotension under 18: < 60 neonates, < 70 infants, < 70 + 2 x age to 10 years, then < 90; adults < 70. */
function hypotensionLimit(v: Vitals): number {
  const age = v.age_years;
  if (age === undefined || age >= 18) return 70;
  if (age < 28 / 365.25) return 60;
  if (age < 1) return 70;
  return age < 10 ? 70 + 2 * Math.floor(age) : 90;
}

/** Heart rates that call for an immediate intervention: from 13 years < 40 or > 150; younger < 60 or in the SVT range. */
function heartRateLifeThreat(v: Vitals): boolean {
  const age = v.age_years;
  if (age === undefined || age >= 13) return below(v.heart_rate, 40) || above(v.heart_rate, 150);
  return below(v.heart_rate, 60) || (v.heart_rate ?? 0) >= (age < 1 ? 220 : 180);
}

/** Decision point A: needs an immediate life-saving intervention (airway, CPR, naloxone, dextrose). */
function needsLifeSavingIntervention(v: Vitals): boolean {
  const gcs = v.gcs_total ?? 15;
  return gcs <= 8 || below(v.spo2, 85) || below(v.respiratory_rate, 6) || below(v.systolic_bp, hypotensionLimit(v))
    || heartRateLifeThreat(v) || below(v.blood_glucose, 40) || (below(v.blood_glucose, 60) && gcs <= 12);
}

/** Decision point B findings other than the complaint: altered mentation, severe pain, hypoglycaemia, young-infant temperature. */
function highRiskFindings(v: Vitals): boolean {
  const age = v.age_years ?? 18;
  const youngInfantTemperature = (age < 28 / 365.25 && (v.temperature ?? 37) >= 38) || (age < 90 / 365.25 && below(v.temperature, 36.5));
  return below(v.gcs_total, 15) || (v.pain_score ?? 0) >= 7 || below(v.blood_glucose, 60) || youngInfantTemperature;
}

/** ESI handbook danger-zone heart and respiratory rates by age (unknown age: adult row). */
function dangerZoneLimits(ageYears: number | undefined): { hr: number; rr: number } {
  if (ageYears === undefined || ageYears > 8) return { hr: 100, rr: 20 };
  if (ageYears >= 3) return { hr: 140, rr: 30 };
  if (ageYears >= 0.25) return { hr: 160, rr: 40 };
  return { hr: 180, rr: 50 };
}

/** Decision point D: danger-zone vitals turn an ESI 3 into an ESI 2. */
function inDangerZone(v: Vitals): boolean {
  const limits = dangerZoneLimits(v.age_years);
  return above(v.heart_rate, limits.hr) || above(v.respiratory_rate, limits.rr) || below(v.spo2, 92);
}

/** ESI v4 decision points A-D, then NEWS2 >= 7 (adults, where NEWS2 is valid) forces at least ESI 2. */
export function esiFromRules(o: TriageObservation): Esi {
  const v = o.vitals;
  if (o.immediate || needsLifeSavingIntervention(v)) return 1;
  if (o.highRisk || highRiskFindings(v)) return 2;
  const byResources: Esi = o.resources >= 2 ? 3 : o.resources === 1 ? 4 : 5;
  if (byResources === 3 && inDangerZone(v)) return 2;
  if (news2Applies(v) && news2(v).total >= 7) return 2;
  return byResources;
}

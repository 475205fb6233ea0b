import type { BeFastResult } from './be-fast.js';
import type { GcsResult } from './gcs.js';
import type { News2Result } from './news2.js';
import { hypotensionThreshold, isPediatric, pediatricAgeBand, youngerThanDays } from './pediatric.js';
import type { BandedVitals } from './vitals.js';

/**
 * Emergency Severity Index v4 (Gilboy et al., ESI Implementation Handbook, AHRQ 2012),
 * walked as its four decision points; the first that decides stops the walk, as in the
 * handbook. Two forcing rules of this appliance follow: NEWS2 >= 7 (from 16 years or unknown
 * age, where NEWS2 is valid) and a positive BE-FAST each mean at least ESI 2. Only vitals and
 * crew answers are used: the crew's judgement (high-risk situation, expected resources)
 * comes in as inputs.
 */
export type EsiLevel = 1 | 2 | 3 | 4 | 5;
export type AcuityRule = 'A' | 'B' | 'C' | 'D' | 'NEWS2' | 'BE-FAST';

export interface AcuityReason {
  rule: AcuityRule;
  /** Human-readable; parameter names and values only. */
  text: string;
}

export interface AcuityResult {
  level: EsiLevel;
  reasons: AcuityReason[];
  /** Vitals the rules look at that were not given: the level may be too low. */
  partial: boolean;
  missing: string[];
}

export interface AcuityInputs {
  vitals: BandedVitals;
  gcs: GcsResult | null;
  news2: News2Result;
  beFast: BeFastResult | null;
  painScore?: number;
  highRiskSituation?: boolean;
  expectedResources?: number;
}

interface Decision {
  level: EsiLevel;
  reasons: AcuityReason[];
}

const DEFAULT_RESOURCES_FOR_AMBULANCE_CASE = 2;
const SEVERE_PAIN = 7;
const NEWS2_FORCES_ESI_2 = 7;

export function deriveAcuity(inputs: AcuityInputs): AcuityResult {
  const decision = walkDecisionPoints(inputs);
  const forced = forcingRules(inputs);
  const level = forced.length > 0 ? (Math.min(decision.level, 2) as EsiLevel) : decision.level;
  const missing = missingForAcuity(inputs);
  return { level, reasons: [...decision.reasons, ...forced], partial: missing.length > 0, missing };
}

function walkDecisionPoints(inputs: AcuityInputs): Decision {
  const lifeSaving = lifeSavingCriteria(inputs);
  if (lifeSaving.length > 0) return { level: 1, reasons: lifeSaving };
  const highRisk = highRiskCriteria(inputs);
  if (highRisk.length > 0) return { level: 2, reasons: highRisk };
  const byResources = resourceLevel(inputs.expectedResources);
  if (byResources.level !== 3) return byResources;
  const dangerZone = dangerZoneCriteria(inputs.vitals);
  if (dangerZone.length > 0) return { level: 2, reasons: [...byResources.reasons, ...dangerZone] };
  return byResources;
}

/** Decision point A: does the patient need an immediate life-saving intervention? */
function lifeSavingCriteria({ vitals, gcs }: AcuityInputs): AcuityReason[] {
  const found: string[] = [];
  const { spo2, respiratoryRate, systolicBP, consciousness } = vitals;
  if (spo2 !== undefined && spo2 < 85) found.push(`spo2 ${spo2} % is below 85 %`);
  if (respiratoryRate === 0) found.push('respiratoryRate 0 /min: apnoea');
  else if (respiratoryRate !== undefined && respiratoryRate < 6) found.push(`respiratoryRate ${respiratoryRate} /min is below 6`);
  const hypotension = hypotensionLimit(vitals.ageYears);
  if (systolicBP !== undefined && systolicBP < hypotension.below) {
    found.push(`systolicBP ${systolicBP} mmHg is below ${hypotension.below} (${hypotension.source})`);
  }
  if (gcs !== null && gcs.total <= 8) found.push(`gcs total ${gcs.total} is 8 or less`);
  // ESI counts a patient who responds only to pain as unresponsive, as well as one who does not respond.
  if (consciousness === 'P' || consciousness === 'U') found.push(`consciousness ${consciousness}: unresponsive`);
  const heartRate = heartRateLifeThreat(vitals);
  if (heartRate) found.push(heartRate);
  return found.map((text) => ({ rule: 'A', text: `${text} → ESI 1 (immediate life-saving intervention)` }));
}

function hypotensionLimit(ageYears: number | undefined): { below: number; source: string } {
  if (isPediatric(ageYears)) return { below: hypotensionThreshold(ageYears), source: 'PALS hypotension for age' };
  return { below: 70, source: 'adult' };
}

/**
 * Adults and adolescents: < 40 or > 150 /min. Younger children (PALS): < 60 /min is the
 * bradycardia that calls for CPR when perfusion is poor; from 220 /min in infants and
 * 180 /min in children the rate is in the supraventricular-tachycardia range.
 */
function heartRateLifeThreat({ heartRate, ageYears }: BandedVitals): string | null {
  if (heartRate === undefined) return null;
  const band = isPediatric(ageYears) ? pediatricAgeBand(ageYears) : 'adult';
  if (band === 'adult' || band === 'adolescent') {
    if (heartRate < 40) return `heartRate ${heartRate} /min is below 40`;
    if (heartRate > 150) return `heartRate ${heartRate} /min is above 150`;
    return null;
  }
  if (heartRate < 60) return `heartRate ${heartRate} /min is below 60 (child)`;
  const tachycardia = band === 'neonate' || band === 'infant' ? 220 : 180;
  if (heartRate >= tachycardia) return `heartRate ${heartRate} /min is ${tachycardia} or more (child)`;
  return null;
}

/** Decision point B: high-risk situation, new confusion/lethargy/disorientation, severe pain. */
function highRiskCriteria({ vitals, gcs, painScore, highRiskSituation }: AcuityInputs): AcuityReason[] {
  const found: string[] = [];
  if (highRiskSituation === true) found.push('highRiskSituation reported by the crew');
  if (vitals.consciousness === 'C') found.push('consciousness C: new confusion');
  if (vitals.consciousness === 'V') found.push('consciousness V: lethargic, responds to voice only');
  if (gcs !== null && gcs.total > 8 && gcs.total < 15) found.push(`gcs total ${gcs.total} is below 15: altered mentation`);
  if (painScore !== undefined && painScore >= SEVERE_PAIN) found.push(`painScore ${painScore}/10 is ${SEVERE_PAIN} or more: severe pain`);
  found.push(...youngInfantTemperature(vitals));
  return found.map((text) => ({ rule: 'B', text: `${text} → ESI 2 (high risk)` }));
}

/** ESI handbook, paediatric level-2 examples: fever under 28 days, hypothermia under 90 days. */
function youngInfantTemperature({ ageYears, temperature }: BandedVitals): string[] {
  if (ageYears === undefined || temperature === undefined) return [];
  if (youngerThanDays(ageYears, 28) && temperature >= 38.0) return [`temperature ${temperature} degC is 38.0 or more under 28 days of age`];
  if (youngerThanDays(ageYears, 90) && temperature < 36.5) return [`temperature ${temperature} degC is below 36.5 under 90 days of age`];
  return [];
}

/** Decision point C. A case that needed an ambulance is assumed to need 2 or more resources. */
function resourceLevel(expectedResources: number | undefined): Decision {
  const told = expectedResources !== undefined;
  const resources = expectedResources ?? DEFAULT_RESOURCES_FOR_AMBULANCE_CASE;
  const level: EsiLevel = resources >= 2 ? 3 : resources === 1 ? 4 : 5;
  const source = told ? `expectedResources ${resources}` : `expectedResources not given, assumed ${resources} for an ambulance case`;
  return { level, reasons: [{ rule: 'C', text: `${source} → ESI ${level}` }] };
}

/** Decision point D, ESI danger-zone vitals: upgrade ESI 3 to 2. Unknown age uses the adult row. */
function dangerZoneCriteria({ heartRate, respiratoryRate, spo2, ageYears }: BandedVitals): AcuityReason[] {
  const limits = dangerZoneLimits(ageYears);
  const found: string[] = [];
  if (heartRate !== undefined && heartRate > limits.heartRate) found.push(`heartRate ${heartRate} /min is above ${limits.heartRate}`);
  if (respiratoryRate !== undefined && respiratoryRate > limits.respiratoryRate) {
    found.push(`respiratoryRate ${respiratoryRate} /min is above ${limits.respiratoryRate}`);
  }
  if (spo2 !== undefined && spo2 < 92) found.push(`spo2 ${spo2} % is below 92 %`);
  return found.map((text) => ({ rule: 'D', text: `${text} (danger zone, ${limits.ages}) → ESI 2` }));
}

function dangerZoneLimits(ageYears: number | undefined): { heartRate: number; respiratoryRate: number; ages: string } {
  if (ageYears === undefined || ageYears > 8) return { heartRate: 100, respiratoryRate: 20, ages: 'over 8 years' };
  if (ageYears >= 3) return { heartRate: 140, respiratoryRate: 30, ages: '3-8 years' };
  if (ageYears >= 0.25) return { heartRate: 160, respiratoryRate: 40, ages: '3 months-3 years' };
  return { heartRate: 180, respiratoryRate: 50, ages: 'under 3 months' };
}

function forcingRules({ news2, beFast }: AcuityInputs): AcuityReason[] {
  const forced: AcuityReason[] = [];
  if (news2.validForAge && news2.total >= NEWS2_FORCES_ESI_2) forced.push({ rule: 'NEWS2', text: `NEWS2 total ${news2.total} is ${NEWS2_FORCES_ESI_2} or more → at least ESI 2` });
  if (beFast?.positive) forced.push({ rule: 'BE-FAST', text: `BE-FAST positive (${beFast.positiveItems.join(', ')}) → at least ESI 2` });
  return forced;
}

function missingForAcuity({ vitals, gcs }: AcuityInputs): string[] {
  const missing: string[] = (['respiratoryRate', 'spo2', 'systolicBP', 'heartRate'] as const).filter((name) => vitals[name] === undefined);
  if (vitals.consciousness === undefined && gcs === null) missing.push('consciousness');
  if (vitals.ageYears !== undefined && youngerThanDays(vitals.ageYears, 90) && vitals.temperature === undefined) missing.push('temperature');
  return missing;
}

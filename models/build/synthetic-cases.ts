/**
 * Synthetic pre-hospital cases: a condition and presentation are drawn, vitals are sampled from the
 * presentation's pattern around the age-normal baseline, the complaint is composed from its
 * phrases, and modalities and single vitals go missing at rates seen in ambulance records.
 * The ESI label comes from the rule labeller applied to the complete (pre-missingness) case.
 */
import { composeComplaint } from './complaint-text.js';
import { type Esi, conditionIndex } from './conditions.js';
import { synthesiseAudio, synthesiseImage } from './modality-signatures.js';
import type { ConditionPattern, Presentation, Spread, VitalPattern } from './presentations.js';
import { CONDITION_PATTERNS } from './presentations.js';
import { type Random, createRandom } from './prng.js';
import { esiFromRules } from './triage-rules.js';
import type { VitalName, Vitals } from './vitals-features.js';

export interface SyntheticCase {
  readonly condition: number;
  readonly esi: Esi;
  /** Everything that was true of the patient; the label is computed from this. */
  readonly trueVitals: Vitals;
  /** What the crew recorded: trueVitals with some vitals missing; null when no vitals at all. */
  readonly vitals: Vitals | null;
  readonly text: string | null;
  readonly audio: Float32Array | null;
  readonly image: Float32Array | null;
  readonly highRisk: boolean;
  readonly immediate: boolean;
  readonly resources: number;
}

/** Age-normal resting values (heart rate, respiratory rate, systolic pressure). */
function baseline(ageYears: number): { hr: number; rr: number; sbp: number } {
  if (ageYears < 1) return { hr: 130, rr: 34, sbp: 85 };
  if (ageYears < 3) return { hr: 115, rr: 26, sbp: 92 };
  if (ageYears < 8) return { hr: 100, rr: 21, sbp: 100 };
  if (ageYears < 16) return { hr: 85, rr: 17, sbp: 110 };
  return { hr: 78, rr: 15, sbp: 125 };
}

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));
const draw = (random: Random, spread: Spread | undefined, fallback: Spread): number => {
  const [mean, sd] = spread ?? fallback;
  return mean + sd * random.normal();
};

function sampleVitals(random: Random, pattern: VitalPattern, ageYears: number): Vitals {
  const base = baseline(ageYears);
  const shifted = (spread: Spread | undefined, normal: number, normalSd: number): number =>
    normal + (spread ? spread[0] + spread[1] * random.normal() : normalSd * random.normal());
  const sbp = Math.round(clamp(shifted(pattern.sbp, base.sbp, 12), 40, 260));
  const dbp = Math.round(clamp(shifted(pattern.dbp, sbp * 0.62, 8), 20, sbp - 10));
  return {
    heart_rate: Math.round(clamp(shifted(pattern.hr, base.hr, 10), 20, 250)),
    respiratory_rate: Math.round(clamp(shifted(pattern.rr, base.rr, 2), 2, 80)),
    systolic_bp: sbp,
    diastolic_bp: dbp,
    spo2: Math.round(clamp(draw(random, pattern.spo2, [98, 1]), 50, 100)),
    temperature: Math.round(clamp(draw(random, pattern.temp, [36.8, 0.3]), 28, 42.5) * 10) / 10,
    gcs_total: Math.round(clamp(draw(random, pattern.gcs, [15, 0]), 3, 15)),
    blood_glucose: Math.round(clamp(draw(random, pattern.glucose, [100, 15]), 15, 600)),
    pain_score: Math.round(clamp(draw(random, pattern.pain, [1, 1.2]), 0, 10)),
    age_years: ageYears < 2 ? Math.round(ageYears * 12) / 12 : Math.round(ageYears),
    supplemental_oxygen: random.chance(pattern.oxygen ?? 0) ? 1 : 0,
  };
}

/** Chance that a single vital is not recorded; glucose is checked mostly when mental status is altered. */
const MISSING_RATE: Record<VitalName, number> = {
  heart_rate: 0.05, respiratory_rate: 0.1, systolic_bp: 0.08, diastolic_bp: 0.15, spo2: 0.08, temperature: 0.35,
  gcs_total: 0.25, blood_glucose: 0.6, pain_score: 0.35, age_years: 0.15, supplemental_oxygen: 0.1,
};

function recordVitals(random: Random, truth: Vitals): Vitals {
  const altered = (truth.gcs_total ?? 15) < 15;
  const recorded: Vitals = {};
  for (const [name, value] of Object.entries(truth) as [VitalName, number][]) {
    const rate = name === 'blood_glucose' && altered ? 0.15 : MISSING_RATE[name];
    if (!random.chance(rate)) recorded[name] = value;
  }
  return recorded;
}

/** How often each modality is available on a call. */
export const MODALITY_RATES = { vitals: 0.85, text: 0.9, audio: 0.45, image: 0.4 } as const;

function chooseModalities(random: Random): [boolean, boolean, boolean, boolean] {
  for (;;) {
    const present: [boolean, boolean, boolean, boolean] = [
      random.chance(MODALITY_RATES.vitals), random.chance(MODALITY_RATES.text),
      random.chance(MODALITY_RATES.audio), random.chance(MODALITY_RATES.image),
    ];
    if (present.some(Boolean)) return present;
  }
}

function samplePresentation(random: Random): { pattern: ConditionPattern; presentation: Presentation } {
  const pattern = CONDITION_PATTERNS[random.weighted(CONDITION_PATTERNS.map((c) => c.prevalence))];
  if (!pattern) throw new Error('no condition patterns');
  const presentation = pattern.presentations[random.weighted(pattern.presentations.map((p) => p.weight))];
  if (!presentation) throw new Error(`no presentations for ${pattern.id}`);
  return { pattern, presentation };
}

export function synthesiseCase(random: Random): SyntheticCase {
  const { pattern, presentation } = samplePresentation(random);
  const ageYears = random.uniform(pattern.ages[0], pattern.ages[1]);
  const sex = random.chance(0.5) ? 'male' : 'female';
  const trueVitals = sampleVitals(random, presentation.vitals, ageYears);
  const [hasVitals, hasText, hasAudio, hasImage] = chooseModalities(random);
  const observation = { highRisk: presentation.highRisk, immediate: presentation.immediate ?? false, resources: presentation.resources };
  return {
    condition: conditionIndex(pattern.id),
    esi: esiFromRules({ vitals: trueVitals, ...observation }),
    trueVitals,
    vitals: hasVitals ? recordVitals(random, trueVitals) : null,
    text: hasText ? composeComplaint(random, presentation, ageYears, sex) : null,
    audio: hasAudio ? synthesiseAudio(random, presentation.audio) : null,
    image: hasImage ? synthesiseImage(random, presentation.image) : null,
    ...observation,
  };
}

export function synthesiseCases(seed: number, count: number): SyntheticCase[] {
  const random = createRandom(seed);
  return Array.from({ length: count }, () => synthesiseCase(random));
}

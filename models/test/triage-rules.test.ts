import { describe, expect, it } from 'vitest';
import { type TriageObservation, type Vitals, esiFromRules, news2 } from '../build/index.js';

const NORMAL_ADULT: Vitals = {
  heart_rate: 75, respiratory_rate: 14, systolic_bp: 125, diastolic_bp: 80, spo2: 98, temperature: 36.8,
  gcs_total: 15, pain_score: 1, age_years: 40, supplemental_oxygen: 0,
};

describe('NEWS2 used by the rule labeller', () => {
  it.each([
    { vitals: NORMAL_ADULT, total: 0 },
    { vitals: { ...NORMAL_ADULT, respiratory_rate: 22, heart_rate: 95 }, total: 3 },
    { vitals: { respiratory_rate: 26, spo2: 93, supplemental_oxygen: 1, systolic_bp: 95, heart_rate: 115, gcs_total: 14, temperature: 39.5 }, total: 3 + 2 + 2 + 2 + 2 + 3 + 2 },
    { vitals: { heart_rate: 40 }, total: 3 },
    { vitals: {}, total: 0 },
  ])('scores $vitals as $total', ({ vitals, total }) => {
    expect(news2(vitals).total).toBe(total);
  });
});

const observation = (vitals: Vitals, extra: Partial<TriageObservation> = {}): TriageObservation =>
  ({ vitals, highRisk: false, immediate: false, resources: 0, ...extra });

describe('ESI rule labeller', () => {
  it.each([
    { case: 'needs an immediate intervention', o: observation(NORMAL_ADULT, { immediate: true }), esi: 1 },
    { case: 'SpO2 82%', o: observation({ ...NORMAL_ADULT, spo2: 82 }), esi: 1 },
    { case: 'GCS 8', o: observation({ ...NORMAL_ADULT, gcs_total: 8 }), esi: 1 },
    { case: 'adult SBP 65', o: observation({ ...NORMAL_ADULT, systolic_bp: 65 }), esi: 1 },
    { case: '4-year-old SBP 75 (PALS hypotension < 78)', o: observation({ age_years: 4, systolic_bp: 75 }), esi: 1 },
    { case: 'glucose 45 with GCS 11', o: observation({ ...NORMAL_ADULT, blood_glucose: 45, gcs_total: 11 }), esi: 1 },
    { case: 'high-risk complaint with normal vitals', o: observation(NORMAL_ADULT, { highRisk: true, resources: 3 }), esi: 2 },
    { case: 'GCS 14 (altered mentation)', o: observation({ ...NORMAL_ADULT, gcs_total: 14 }, { resources: 1 }), esi: 2 },
    { case: 'pain 7/10', o: observation({ ...NORMAL_ADULT, pain_score: 7 }, { resources: 1 }), esi: 2 },
    { case: 'two resources and RR 28 (danger zone)', o: observation({ ...NORMAL_ADULT, respiratory_rate: 28 }, { resources: 2 }), esi: 2 },
    { case: 'one resource and RR 28 (danger zone applies only to ESI 3)', o: observation({ ...NORMAL_ADULT, respiratory_rate: 28 }, { resources: 1 }), esi: 4 },
    { case: 'NEWS2 7 without resources', o: observation({ ...NORMAL_ADULT, respiratory_rate: 26, heart_rate: 112, temperature: 39.5 }), esi: 2 },
    { case: 'stable, two resources', o: observation(NORMAL_ADULT, { resources: 2 }), esi: 3 },
    { case: 'stable, one resource', o: observation(NORMAL_ADULT, { resources: 1 }), esi: 4 },
    { case: 'stable, no resources', o: observation(NORMAL_ADULT), esi: 5 },
    { case: '2-year-old, two resources, HR 170 (danger zone)', o: observation({ age_years: 2, heart_rate: 170, respiratory_rate: 30 }, { resources: 2 }), esi: 2 },
    { case: '5-year-old, two resources, HR 125, RR 28 (normal for age)', o: observation({ age_years: 5, heart_rate: 125, respiratory_rate: 28 }, { resources: 2 }), esi: 3 },
    { case: '10-year-old with NEWS2-range vitals (NEWS2 not valid under 16)', o: observation({ age_years: 10, respiratory_rate: 26, heart_rate: 112, temperature: 39.5 }), esi: 5 },
  ])('labels $case as ESI $esi', ({ o, esi }) => {
    expect(esiFromRules(o)).toBe(esi);
  });
});

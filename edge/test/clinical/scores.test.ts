import { describe, expect, it } from 'vitest';
import { scoreVitals } from '../../src/clinical/index.js';

describe('shock index', () => {
  it.each([
    ['adult at 0.89', 30, 89, 100, 0.89, 'adult', 0.9, false],
    ['adult at 0.90', 30, 90, 100, 0.9, 'adult', 0.9, true],
    ['unknown age at 0.90 (adult thresholds)', undefined, 90, 100, 0.9, 'age-unknown-adult-thresholds', 0.9, true],
    ['18 years at 0.90 (adult)', 18, 90, 100, 0.9, 'adult', 0.9, true],
    ['17.9 years at 0.90 (SIPA, strictly above)', 17.9, 90, 100, 0.9, 'sipa-13-17', 0.9, false],
    ['13 years at 0.91', 13, 91, 100, 0.91, 'sipa-13-17', 0.9, true],
    ['12.9 years at 1.00', 12.9, 100, 100, 1, 'sipa-7-12', 1, false],
    ['7 years at 1.01', 7, 101, 100, 1.01, 'sipa-7-12', 1, true],
    ['6.9 years at 1.22', 6.9, 122, 100, 1.22, 'sipa-4-6', 1.22, false],
    ['4 years at 1.23', 4, 123, 100, 1.23, 'sipa-4-6', 1.22, true],
  ] as const)('%s', (_name, ageYears, heartRate, systolicBP, value, basis, threshold, elevated) => {
    expect(scoreVitals({ ageYears, heartRate, systolicBP }).shockIndex).toMatchObject({ value, basis, threshold, elevated });
  });

  it('claims no threshold under 4 years, where SIPA was not validated', () => {
    expect(scoreVitals({ ageYears: 3.9, heartRate: 150, systolicBP: 80 }).shockIndex).toEqual({
      value: 1.88, basis: 'under-4-not-validated', threshold: null, comparison: null, elevated: null, critical: null,
    });
  });

  it.each([[129, false], [130, true]])('flags an adult shock index from 1.3 as critical (HR %d / SBP 100)', (heartRate, critical) => {
    expect(scoreVitals({ ageYears: 40, heartRate, systolicBP: 100 }).shockIndex?.critical).toBe(critical);
  });

  it('does not claim a critical band for children', () => {
    expect(scoreVitals({ ageYears: 10, heartRate: 150, systolicBP: 90 }).shockIndex?.critical).toBeNull();
  });

  it('compares the reported two-decimal value, so the output never contradicts itself', () => {
    // 110 / 90 = 1.2222..., reported as 1.22, which is not above the 4-6 y cut-off of 1.22.
    expect(scoreVitals({ ageYears: 5, heartRate: 110, systolicBP: 90 }).shockIndex).toMatchObject({ value: 1.22, elevated: false });
  });

  it.each([[{ heartRate: 100 }], [{ systolicBP: 100 }]])('is null when heart rate or systolic BP is missing (%o)', (input) => {
    expect(scoreVitals(input).shockIndex).toBeNull();
  });
});

describe('qSOFA', () => {
  it.each([
    ['RR 22 and SBP 100', { respiratoryRate: 22, systolicBP: 100, consciousness: 'A' }, 2, true],
    ['RR 21 and SBP 101', { respiratoryRate: 21, systolicBP: 101, consciousness: 'A' }, 0, false],
    ['only altered mentation (V)', { respiratoryRate: 16, systolicBP: 120, consciousness: 'V' }, 1, false],
    ['all three', { respiratoryRate: 30, systolicBP: 80, consciousness: 'C' }, 3, true],
  ] as const)('%s scores %d', (_name, input, score, positive) => {
    expect(scoreVitals(input).qsofa).toMatchObject({ score, positive, partial: false });
  });

  it('counts GCS below 15 as altered mentation even when ACVPU is A', () => {
    const qsofa = scoreVitals({ consciousness: 'A', gcs: { eye: 4, verbal: 4, motor: 6 } }).qsofa;
    expect(qsofa.criteria.alteredMentation).toBe(true);
  });

  it('judges mentation from GCS alone when ACVPU is missing', () => {
    expect(scoreVitals({ gcs: { eye: 4, verbal: 5, motor: 6 } }).qsofa.criteria.alteredMentation).toBe(false);
  });

  it('marks criteria it cannot judge as null and the score as partial', () => {
    expect(scoreVitals({ systolicBP: 90 }).qsofa).toEqual({
      score: 1, positive: false, partial: true, criteria: { respiratoryRate: null, alteredMentation: null, systolicBP: true },
    });
  });
});

describe('GCS', () => {
  it.each([
    [1, 1, 1, 3, 'severe'],
    [2, 2, 4, 8, 'severe'],
    [2, 3, 4, 9, 'moderate'],
    [3, 4, 5, 12, 'moderate'],
    [3, 4, 6, 13, 'mild'],
    [4, 5, 6, 15, 'mild'],
  ] as const)('E%d V%d M%d totals %d (%s)', (eye, verbal, motor, total, severity) => {
    expect(scoreVitals({ gcs: { eye, verbal, motor } }).gcs).toEqual({ eye, verbal, motor, total, severity });
  });

  it('is null when no GCS was given', () => {
    expect(scoreVitals({}).gcs).toBeNull();
  });

  it.each([
    ['gcs.eye', { eye: 0, verbal: 5, motor: 6 }],
    ['gcs.eye', { eye: 5, verbal: 5, motor: 6 }],
    ['gcs.verbal', { eye: 4, verbal: 0, motor: 6 }],
    ['gcs.verbal', { eye: 4, verbal: 6, motor: 6 }],
    ['gcs.motor', { eye: 4, verbal: 5, motor: 0 }],
    ['gcs.motor', { eye: 4, verbal: 5, motor: 7 }],
    ['gcs.motor', { eye: 4, verbal: 5, motor: 5.5 }],
    ['gcs.motor', { eye: 4, verbal: 5 }],
  ])('rejects an out-of-range or missing part, naming %s', (field, gcs) => {
    expect(() => scoreVitals({ gcs: gcs as never })).toThrow(expect.objectContaining({ code: 'INPUT_INVALID', issues: [expect.objectContaining({ field })] }));
  });
});

describe('paediatric ranges', () => {
  it.each([
    [0, 'neonate'], [27 / 365.25, 'neonate'], [28 / 365.25, 'infant'], [0.99, 'infant'], [1, 'toddler'], [2.99, 'toddler'],
    [3, 'preschool'], [5.99, 'preschool'], [6, 'school-age'], [12.99, 'school-age'], [13, 'adolescent'], [17.99, 'adolescent'],
  ] as const)('age %d years is in the %s band', (ageYears, ageBand) => {
    expect(scoreVitals({ ageYears }).pediatric?.ageBand).toBe(ageBand);
  });

  it.each([[18], [undefined]])('is null for age %s (adult or unknown)', (ageYears) => {
    expect(scoreVitals({ ageYears }).pediatric).toBeNull();
  });

  it('gives the PALS ranges for the band and names vitals outside them', () => {
    const pediatric = scoreVitals({ ageYears: 0.5, heartRate: 190, respiratoryRate: 29 }).pediatric;
    expect(pediatric?.ranges).toEqual({ heartRate: { min: 100, max: 180 }, respiratoryRate: { min: 30, max: 53 }, systolicBP: { min: 72, max: 104 } });
    expect(pediatric?.outside).toEqual([
      { vital: 'heartRate', value: 190, direction: 'above' },
      { vital: 'respiratoryRate', value: 29, direction: 'below' },
    ]);
    expect(pediatric?.missing).toEqual(['systolicBP']);
  });

  it('treats the range limits themselves as inside', () => {
    expect(scoreVitals({ ageYears: 8, heartRate: 75, respiratoryRate: 25, systolicBP: 120 }).pediatric?.outside).toEqual([]);
  });

  it.each([
    [0.05, 60], [0.5, 70], [1, 72], [5, 80], [9.9, 88], [10, 90], [17, 90],
  ])('at age %d years systolic BP below %d is PALS hypotension', (ageYears, hypotensionBelow) => {
    const below = scoreVitals({ ageYears, systolicBP: hypotensionBelow - 1 }).pediatric;
    const at = scoreVitals({ ageYears, systolicBP: hypotensionBelow }).pediatric;
    expect(below).toMatchObject({ hypotensionBelow, hypotensive: true });
    expect(at).toMatchObject({ hypotensionBelow, hypotensive: false });
  });

  it('does not call hypotension unknown blood pressure normal', () => {
    expect(scoreVitals({ ageYears: 5 }).pediatric?.hypotensive).toBeNull();
  });
});

describe('BE-FAST', () => {
  const allClear = { balance: false, eyes: false, face: false, arm: false, speech: false };

  it('is negative and complete when all five items were assessed as normal', () => {
    expect(scoreVitals({ beFast: allClear }).beFast).toMatchObject({ positive: false, partial: false, positiveItems: [], notAssessed: [] });
  });

  it('is positive and names every abnormal item', () => {
    expect(scoreVitals({ beFast: { ...allClear, face: true, speech: true } }).beFast).toMatchObject({ positive: true, positiveItems: ['face', 'speech'] });
  });

  it('reports unassessed items and does not call the screen complete', () => {
    expect(scoreVitals({ beFast: { arm: false } }).beFast).toMatchObject({
      positive: false, partial: true, notAssessed: ['balance', 'eyes', 'face', 'speech'],
    });
  });

  it.each([[270, true], [271, false]])('last known well %d minutes ago is within the 4.5 h window: %s', (lastKnownWellMinutes, within) => {
    expect(scoreVitals({ beFast: { ...allClear, lastKnownWellMinutes } }).beFast).toMatchObject({ lastKnownWellMinutes, withinThrombolysisWindow: within });
  });

  it('leaves the time window unknown when last known well is not given', () => {
    expect(scoreVitals({ beFast: allClear }).beFast).toMatchObject({ lastKnownWellMinutes: null, withinThrombolysisWindow: null });
  });

  it('is null when the screen was not done', () => {
    expect(scoreVitals({}).beFast).toBeNull();
  });
});

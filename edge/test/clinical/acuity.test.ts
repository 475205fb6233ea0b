import { describe, expect, it } from 'vitest';
import { scoreVitals, type ScoreInput } from '../../src/clinical/index.js';

/** Adult vitals that trip no ESI rule and score NEWS2 0: ESI 3 by the ambulance default. */
const STABLE_ADULT: ScoreInput = {
  ageYears: 40, respiratoryRate: 16, spo2: 97, onOxygen: false, systolicBP: 120, heartRate: 70, consciousness: 'A', temperature: 37.0,
};

const acuity = (changes: ScoreInput) => scoreVitals({ ...STABLE_ADULT, ...changes }).acuity;
const rules = (changes: ScoreInput) => acuity(changes).reasons.map((reason) => reason.rule);

describe('ESI decision point A: immediate life-saving intervention', () => {
  it.each([
    ['SpO2 84', { spo2: 84 }],
    ['apnoea', { respiratoryRate: 0 }],
    ['respiratory rate 5', { respiratoryRate: 5 }],
    ['adult systolic BP 69', { systolicBP: 69 }],
    ['GCS 8', { gcs: { eye: 2, verbal: 2, motor: 4 } }],
    ['unresponsive (U)', { consciousness: 'U' }],
    ['responds to pain only (P)', { consciousness: 'P' }],
    ['adult heart rate 39', { heartRate: 39 }],
    ['adult heart rate 151', { heartRate: 151 }],
    ['child (5 y) systolic BP 79, below PALS 70 + 2 x age', { ageYears: 5, systolicBP: 79, heartRate: 100, respiratoryRate: 22 }],
    ['adolescent systolic BP 89', { ageYears: 15, systolicBP: 89 }],
    ['infant heart rate 59', { ageYears: 0.5, heartRate: 59, respiratoryRate: 35 }],
    ['infant heart rate 220', { ageYears: 0.5, heartRate: 220, respiratoryRate: 35 }],
    ['toddler heart rate 180', { ageYears: 2, heartRate: 180, respiratoryRate: 30 }],
    ['adolescent heart rate 151', { ageYears: 15, heartRate: 151 }],
  ] as const)('%s → ESI 1', (_name, changes) => {
    const result = acuity(changes);
    expect(result.level).toBe(1);
    expect(result.reasons[0]?.rule).toBe('A');
  });

  it.each([
    ['SpO2 85', { spo2: 85 }],
    ['respiratory rate 6', { respiratoryRate: 6 }],
    ['adult systolic BP 70', { systolicBP: 70 }],
    ['adult heart rate 40', { heartRate: 40 }],
    ['adult heart rate 150', { heartRate: 150, expectedResources: 1 }],
    ['child (5 y) systolic BP 80', { ageYears: 5, systolicBP: 80, heartRate: 100, respiratoryRate: 22 }],
    ['infant heart rate 60', { ageYears: 0.5, heartRate: 60, respiratoryRate: 35, expectedResources: 1 }],
    ['infant heart rate 219', { ageYears: 0.5, heartRate: 219, respiratoryRate: 35, expectedResources: 1 }],
    ['toddler heart rate 179', { ageYears: 2, heartRate: 179, respiratoryRate: 30, expectedResources: 1 }],
  ] as const)('%s alone is not ESI 1', (_name, changes) => {
    expect(acuity(changes).level).toBeGreaterThan(1);
  });

  it('lists every life-saving criterion that fired, by parameter name and value', () => {
    const result = acuity({ spo2: 80, respiratoryRate: 0 });
    expect(result.reasons.map((reason) => reason.text)).toEqual([
      expect.stringContaining('spo2 80'),
      expect.stringContaining('respiratoryRate 0 /min: apnoea'),
    ]);
  });

  it('stays ESI 1 when NEWS2 or BE-FAST would force ESI 2', () => {
    const result = acuity({ consciousness: 'U', respiratoryRate: 30, heartRate: 140, beFast: { face: true } });
    expect(result.level).toBe(1);
    expect(result.reasons.map((reason) => reason.rule)).toEqual(['A', 'NEWS2', 'BE-FAST']);
  });
});

describe('ESI decision point B: high risk', () => {
  it.each([
    ['a high-risk situation reported by the crew', { highRiskSituation: true }],
    ['new confusion (C)', { consciousness: 'C' }],
    ['lethargy (V)', { consciousness: 'V' }],
    ['GCS 9', { gcs: { eye: 2, verbal: 3, motor: 4 } }],
    ['GCS 14', { gcs: { eye: 4, verbal: 4, motor: 6 } }],
    ['pain 7/10', { painScore: 7 }],
    ['fever 38.0 at 20 days of age', { ageYears: 20 / 365.25, temperature: 38.0, heartRate: 140, respiratoryRate: 40, systolicBP: 75 }],
    ['temperature 36.4 at 60 days of age', { ageYears: 60 / 365.25, temperature: 36.4, heartRate: 140, respiratoryRate: 40, systolicBP: 80 }],
  ] as const)('%s → ESI 2', (_name, changes) => {
    expect(acuity(changes)).toMatchObject({ level: 2, reasons: [expect.objectContaining({ rule: 'B' })] });
  });

  it.each([
    ['no high-risk situation', { highRiskSituation: false }],
    ['GCS 15', { gcs: { eye: 4, verbal: 5, motor: 6 } }],
    ['pain 6/10', { painScore: 6 }],
    ['temperature 37.9 at 20 days of age', { ageYears: 20 / 365.25, temperature: 37.9, heartRate: 140, respiratoryRate: 40, systolicBP: 75 }],
    ['temperature 36.5 at 60 days of age', { ageYears: 60 / 365.25, temperature: 36.5, heartRate: 140, respiratoryRate: 40, systolicBP: 80 }],
    ['fever 38.0 at 28 days of age', { ageYears: 28 / 365.25, temperature: 38.0, heartRate: 140, respiratoryRate: 40, systolicBP: 80 }],
  ] as const)('%s stays ESI 3', (_name, changes) => {
    expect(acuity(changes).level).toBe(3);
  });
});

describe('ESI decision point C: expected resources', () => {
  it.each([[0, 5], [1, 4], [2, 3], [5, 3]])('%d expected resources → ESI %d', (expectedResources, level) => {
    expect(acuity({ expectedResources })).toMatchObject({ level, reasons: [expect.objectContaining({ rule: 'C', text: expect.stringContaining(`expectedResources ${expectedResources}`) })] });
  });

  it('assumes an ambulance case needs 2 or more resources when not told, and says so', () => {
    const result = acuity({});
    expect(result.level).toBe(3);
    expect(result.reasons).toEqual([{ rule: 'C', text: expect.stringContaining('assumed 2') }]);
  });
});

describe('ESI decision point D: danger-zone vitals', () => {
  it.each([
    ['adult heart rate 101', {}, { heartRate: 101 }, { heartRate: 100 }],
    ['adult respiratory rate 21', {}, { respiratoryRate: 21 }, { respiratoryRate: 20 }],
    ['SpO2 91', {}, { spo2: 91 }, { spo2: 92 }],
    ['heart rate 181 under 3 months', { ageYears: 0.2, respiratoryRate: 40, systolicBP: 80 }, { heartRate: 181 }, { heartRate: 180 }],
    ['respiratory rate 51 under 3 months', { ageYears: 0.2, heartRate: 140, systolicBP: 80 }, { respiratoryRate: 51 }, { respiratoryRate: 50 }],
    ['heart rate 161 at 2 years', { ageYears: 2, respiratoryRate: 30, systolicBP: 95 }, { heartRate: 161 }, { heartRate: 160 }],
    ['respiratory rate 41 at 2 years', { ageYears: 2, heartRate: 120, systolicBP: 95 }, { respiratoryRate: 41 }, { respiratoryRate: 40 }],
    ['heart rate 141 at 5 years', { ageYears: 5, respiratoryRate: 24, systolicBP: 100 }, { heartRate: 141 }, { heartRate: 140 }],
    ['respiratory rate 31 at 5 years', { ageYears: 5, heartRate: 100, systolicBP: 100 }, { respiratoryRate: 31 }, { respiratoryRate: 30 }],
    ['heart rate 101 at 10 years', { ageYears: 10, respiratoryRate: 20, systolicBP: 110 }, { heartRate: 101 }, { heartRate: 100 }],
  ] as const)('%s upgrades ESI 3 to 2; one step less does not', (_name, base, over, edge) => {
    expect(acuity({ ...base, ...over })).toMatchObject({ level: 2, reasons: [expect.objectContaining({ rule: 'C' }), expect.objectContaining({ rule: 'D' })] });
    expect(acuity({ ...base, ...edge }).level).toBe(3);
  });

  it.each([
    [0.24, 161, 3], [0.25, 161, 2],
    [2.99, 141, 3], [3, 141, 2],
    [8, 101, 3], [8.01, 101, 2],
  ])('at age %d years heart rate %d gives ESI %d (age-band edges of the danger zone)', (ageYears, heartRate, level) => {
    expect(acuity({ ageYears, heartRate, respiratoryRate: 20, systolicBP: 110 }).level).toBe(level);
  });

  it('does not upgrade ESI 4 or 5 (the handbook applies D only to level 3)', () => {
    expect(acuity({ heartRate: 120, expectedResources: 1 }).level).toBe(4);
  });
});

describe('forcing rules', () => {
  it('forces at least ESI 2 when NEWS2 is 7 or more', () => {
    // RR 21 (2) + oxygen (2) + temperature 39.1 (2) + SBP 101 (1) = 7
    const result = acuity({ respiratoryRate: 21, onOxygen: true, temperature: 39.1, systolicBP: 101, expectedResources: 0 });
    expect(result.level).toBe(2);
    expect(result.reasons).toContainEqual({ rule: 'NEWS2', text: expect.stringContaining('NEWS2 total 7') });
  });

  it('does not let NEWS2 force ESI 2 under 16 years, where NEWS2 is not validated', () => {
    const result = scoreVitals({ ageYears: 15, respiratoryRate: 21, onOxygen: true, temperature: 39.1, systolicBP: 110, heartRate: 90, spo2: 97, consciousness: 'A', expectedResources: 0 });
    expect(result.news2).toMatchObject({ total: 7, validForAge: false });
    expect(result.acuity.level).toBe(5);
  });

  it('does not force ESI 2 at NEWS2 6', () => {
    expect(acuity({ respiratoryRate: 21, onOxygen: true, temperature: 39.1, expectedResources: 0 }).level).toBe(5);
  });

  it('forces ESI 2 when BE-FAST is positive, naming the items', () => {
    const result = acuity({ beFast: { arm: true, speech: true }, expectedResources: 0 });
    expect(result.level).toBe(2);
    expect(result.reasons).toContainEqual({ rule: 'BE-FAST', text: expect.stringContaining('arm, speech') });
  });

  it('leaves the level alone when BE-FAST is negative', () => {
    expect(acuity({ beFast: { balance: false, eyes: false, face: false, arm: false, speech: false }, expectedResources: 0 }).level).toBe(5);
  });
});

describe('acuity with missing vitals', () => {
  it('flags as partial and lists the vitals the rules could not check', () => {
    expect(scoreVitals({}).acuity).toMatchObject({
      level: 3, partial: true, missing: ['respiratoryRate', 'spo2', 'systolicBP', 'heartRate', 'consciousness'],
    });
  });

  it('accepts GCS in place of ACVPU for the consciousness checks', () => {
    expect(acuity({ consciousness: undefined, gcs: { eye: 4, verbal: 5, motor: 6 } })).toMatchObject({ partial: false, missing: [] });
  });

  it('asks for temperature under 90 days of age', () => {
    expect(acuity({ ageYears: 0.1, temperature: undefined, heartRate: 140, respiratoryRate: 40, systolicBP: 80 }).missing).toEqual(['temperature']);
  });

  it('is complete when every vital it looks at is present', () => {
    expect(acuity({})).toMatchObject({ partial: false, missing: [] });
  });
});

describe('reasons', () => {
  it('follow the ESI walk: the deciding point, then forcing rules', () => {
    expect(rules({ heartRate: 110, beFast: { face: true } })).toEqual(['C', 'D', 'BE-FAST']);
    expect(rules({ painScore: 9, heartRate: 110 })).toEqual(['B']);
  });
});

import { describe, expect, it } from 'vitest';
import { scoreVitals, type ScoreInput } from '../../src/clinical/index.js';

const news2 = (input: ScoreInput) => scoreVitals(input).news2;

/** A complete set of vitals that scores 0 on every NEWS2 parameter (scale 1). */
const NORMAL: ScoreInput = {
  respiratoryRate: 16, spo2: 97, onOxygen: false, systolicBP: 120, heartRate: 70, consciousness: 'A', temperature: 37.0,
};

describe('NEWS2 respiration rate bands (RCP 2017)', () => {
  it.each([
    [0, 3], [8, 3], [9, 1], [11, 1], [12, 0], [20, 0], [21, 2], [24, 2], [25, 3], [80, 3],
  ])('respiration rate %d scores %d', (respiratoryRate, score) => {
    expect(news2({ respiratoryRate }).parameters.respiratoryRate).toEqual({ value: respiratoryRate, score });
  });
});

describe('NEWS2 SpO2 scale 1 bands', () => {
  it.each([
    [0, 3], [91, 3], [92, 2], [93, 2], [94, 1], [95, 1], [96, 0], [100, 0],
  ])('SpO2 %d %% scores %d whether on air or on oxygen', (spo2, score) => {
    for (const onOxygen of [false, true]) {
      expect(news2({ spo2, onOxygen, spo2Scale: 1 }).parameters.spo2).toEqual({ value: spo2, score, scale: 1 });
    }
  });

  it('uses scale 1 when no scale is given', () => {
    expect(news2({ spo2: 93 }).parameters.spo2).toEqual({ value: 93, score: 2, scale: 1 });
  });
});

describe('NEWS2 SpO2 scale 2 bands', () => {
  it.each([
    [0, false, 3], [83, false, 3], [84, false, 2], [85, false, 2], [86, false, 1], [87, false, 1], [88, false, 0], [92, false, 0],
    [83, true, 3], [84, true, 2], [85, true, 2], [86, true, 1], [87, true, 1], [88, true, 0], [92, true, 0],
    [93, false, 0], [97, false, 0], [100, false, 0],
    [93, true, 1], [94, true, 1], [95, true, 2], [96, true, 2], [97, true, 3], [100, true, 3],
  ])('SpO2 %d %% with onOxygen=%s scores %d', (spo2, onOxygen, score) => {
    expect(news2({ spo2, onOxygen, spo2Scale: 2 }).parameters.spo2).toEqual({ value: spo2, score, scale: 2 });
  });

  it('leaves 93 % or more unscored on scale 2 when it is not known whether the patient is on oxygen', () => {
    const result = news2({ ...NORMAL, spo2: 95, spo2Scale: 2, onOxygen: undefined });
    expect(result.parameters.spo2).toEqual({ value: 95, score: null, scale: 2 });
    expect(result.partial).toBe(true);
    expect(result.missing).toEqual(['onOxygen']);
  });

  it('scores 92 % or less on scale 2 even when oxygen is unknown, because air and oxygen score alike there', () => {
    expect(news2({ spo2: 85, spo2Scale: 2 }).parameters.spo2.score).toBe(2);
  });
});

describe('NEWS2 air or oxygen', () => {
  it.each([[false, 0], [true, 2]])('onOxygen=%s scores %d', (onOxygen, score) => {
    expect(news2({ onOxygen }).parameters.onOxygen).toEqual({ value: onOxygen, score });
  });
});

describe('NEWS2 systolic blood pressure bands', () => {
  it.each([
    [20, 3], [90, 3], [91, 2], [100, 2], [101, 1], [110, 1], [111, 0], [219, 0], [220, 3], [300, 3],
  ])('systolic BP %d scores %d', (systolicBP, score) => {
    expect(news2({ systolicBP }).parameters.systolicBP).toEqual({ value: systolicBP, score });
  });
});

describe('NEWS2 pulse bands', () => {
  it.each([
    [0, 3], [40, 3], [41, 1], [50, 1], [51, 0], [90, 0], [91, 1], [110, 1], [111, 2], [130, 2], [131, 3], [300, 3],
  ])('pulse %d scores %d', (heartRate, score) => {
    expect(news2({ heartRate }).parameters.heartRate).toEqual({ value: heartRate, score });
  });
});

describe('NEWS2 consciousness (ACVPU)', () => {
  it.each([['A', 0], ['C', 3], ['V', 3], ['P', 3], ['U', 3]] as const)('%s scores %d', (consciousness, score) => {
    expect(news2({ consciousness }).parameters.consciousness).toEqual({ value: consciousness, score });
  });
});

describe('NEWS2 temperature bands', () => {
  it.each([
    [25, 3], [35.0, 3], [35.1, 1], [36.0, 1], [36.1, 0], [38.0, 0], [38.1, 1], [39.0, 1], [39.1, 2], [45, 2],
  ])('temperature %d degC scores %d', (temperature, score) => {
    expect(news2({ temperature }).parameters.temperature).toEqual({ value: temperature, score });
  });
});

describe('NEWS2 rounding before banding', () => {
  it.each([
    ['respiratoryRate', 8.4, 8, 3],
    ['respiratoryRate', 8.5, 9, 1],
    ['respiratoryRate', 20.5, 21, 2],
    ['heartRate', 90.49, 90, 0],
    ['heartRate', 90.5, 91, 1],
    ['systolicBP', 90.5, 91, 2],
    ['systolicBP', 110.4, 110, 1],
    ['spo2', 95.5, 96, 0],
    ['spo2', 91.4, 91, 3],
    ['temperature', 35.04, 35.0, 3],
    ['temperature', 35.05, 35.1, 1],
    ['temperature', 36.05, 36.1, 0],
    ['temperature', 38.05, 38.1, 1],
    ['temperature', 39.04, 39.0, 1],
  ] as const)('%s %d is banded as %d and scores %d', (name, given, banded, score) => {
    expect(news2({ [name]: given }).parameters[name]).toMatchObject({ value: banded, score });
  });
});

describe('NEWS2 total and risk band', () => {
  it.each([
    ['all parameters normal', {}, 0, 'low'],
    ['two 2-point parameters', { respiratoryRate: 21, heartRate: 111 }, 4, 'low'],
    ['a single 3 on its own', { respiratoryRate: 25 }, 3, 'low-medium'],
    ['a single 3 with total 4', { consciousness: 'C', heartRate: 91 }, 4, 'low-medium'],
    ['total 5 without a 3', { respiratoryRate: 21, heartRate: 111, temperature: 38.5 }, 5, 'medium'],
    ['total 5 that includes a 3', { consciousness: 'C', respiratoryRate: 21 }, 5, 'medium'],
    ['total 6', { respiratoryRate: 21, heartRate: 111, onOxygen: true }, 6, 'medium'],
    ['total 7', { respiratoryRate: 25, heartRate: 111, onOxygen: true }, 7, 'high'],
    ['every parameter at its worst', { respiratoryRate: 25, spo2: 80, onOxygen: true, systolicBP: 80, heartRate: 140, consciousness: 'U', temperature: 34 }, 20, 'high'],
  ] as const)('%s gives total %d, risk %s', (_name, changes, total, risk) => {
    const result = news2({ ...NORMAL, ...changes });
    expect(result).toMatchObject({ total, risk, partial: false, missing: [] });
  });
});

describe('partial NEWS2', () => {
  it('lists every missing parameter and still bands what is present', () => {
    const result = news2({ respiratoryRate: 25 });
    expect(result).toMatchObject({ total: 3, risk: 'low-medium', partial: true });
    expect(result.missing).toEqual(['spo2', 'onOxygen', 'systolicBP', 'heartRate', 'consciousness', 'temperature']);
    expect(result.parameters.temperature).toEqual({ value: null, score: null });
  });

  it('reports an empty input as wholly missing, never as a normal score', () => {
    const result = news2({});
    expect(result).toMatchObject({ total: 0, partial: true });
    expect(result.missing).toHaveLength(7);
  });

  it('can be high even when partial', () => {
    expect(news2({ respiratoryRate: 30, heartRate: 140, consciousness: 'V' })).toMatchObject({ total: 9, risk: 'high', partial: true });
  });

  it('is not partial when every parameter is given', () => {
    expect(news2(NORMAL)).toMatchObject({ partial: false, missing: [] });
  });
});

describe('NEWS2 age validity', () => {
  it.each([[undefined, true], [16, true], [15.9, false], [2, false]])('at age %s years validForAge is %s', (ageYears, validForAge) => {
    expect(news2({ ageYears }).validForAge).toBe(validForAge);
  });
});

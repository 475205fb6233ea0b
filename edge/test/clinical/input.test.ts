import { describe, expect, it } from 'vitest';
import { parseScoreInput, scoreVitals, type ScoreInput } from '../../src/clinical/index.js';
import { Hema3nError } from '../../src/errors.js';

function issuesOf(value: unknown): { field: string; problem: string }[] {
  try {
    parseScoreInput(value);
  } catch (error) {
    expect(error).toBeInstanceOf(Hema3nError);
    expect((error as Hema3nError).code).toBe('INPUT_INVALID');
    return [...(error as Hema3nError).issues];
  }
  throw new Error('expected the input to be rejected');
}

function messageOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an error');
}

describe('parseScoreInput accepts', () => {
  it('a full, valid input unchanged', () => {
    const input = {
      respiratoryRate: 18, spo2: 95, spo2Scale: 2, onOxygen: true, systolicBP: 130, heartRate: 88, consciousness: 'A', temperature: 36.8,
      ageYears: 67, gcs: { eye: 4, verbal: 5, motor: 6 }, painScore: 3, highRiskSituation: false, expectedResources: 2,
      beFast: { balance: false, eyes: false, face: true, arm: false, speech: false, lastKnownWellMinutes: 45 },
    };
    expect(parseScoreInput(input)).toEqual(input);
  });

  it('an empty object (every vital missing)', () => {
    expect(parseScoreInput({})).toEqual({});
  });

  it('null as "not measured", the same as an absent field', () => {
    expect(parseScoreInput({ spo2: null, heartRate: 80, gcs: null, beFast: { face: null, arm: true } })).toEqual({ heartRate: 80, beFast: { arm: true } });
  });

  it.each([
    ['spo2', 0], ['spo2', 100], ['respiratoryRate', 0], ['respiratoryRate', 80], ['heartRate', 0], ['heartRate', 300],
    ['systolicBP', 20], ['systolicBP', 300], ['temperature', 25], ['temperature', 45], ['painScore', 0], ['painScore', 10], ['expectedResources', 0],
  ])('%s at its limit %d', (field, value) => {
    expect(parseScoreInput({ [field]: value })).toEqual({ [field]: value });
  });
});

describe('parseScoreInput rejects', () => {
  it.each([
    ['spo2', 100.1], ['spo2', -1], ['spo2', '97'],
    ['respiratoryRate', 81], ['respiratoryRate', -1],
    ['heartRate', 301], ['heartRate', -1],
    ['systolicBP', 301], ['systolicBP', 19],
    ['temperature', 24.9], ['temperature', 45.1],
    ['consciousness', 'X'], ['consciousness', 'a'], ['consciousness', 3],
    ['spo2Scale', 3], ['spo2Scale', '1'],
    ['onOxygen', 'yes'], ['highRiskSituation', 1],
    ['painScore', 11], ['painScore', 6.5],
    ['expectedResources', -1], ['expectedResources', 1.5],
    ['ageYears', -1], ['ageYears', 131],
    ['gcs', 15],
    ['beFast', true],
  ])('%s = %j, naming the field', (field, value) => {
    expect(issuesOf({ [field]: value })).toEqual([{ field, problem: expect.any(String) }]);
  });

  it.each([
    ['beFast.face', { beFast: { face: 'yes' } }],
    ['beFast.lastKnownWellMinutes', { beFast: { lastKnownWellMinutes: -5 } }],
    ['beFast.colour', { beFast: { colour: true } }],
    ['gcs.extra', { gcs: { eye: 4, verbal: 5, motor: 6, extra: 1 } }],
  ])('nested %s, with its dotted path', (field, value) => {
    expect(issuesOf(value)).toEqual([{ field, problem: expect.any(String) }]);
  });

  it('an unknown field, because a misspelt vital would otherwise look unmeasured', () => {
    expect(issuesOf({ heartrate: 80 })).toEqual([{ field: 'heartrate', problem: 'is not a known field' }]);
  });

  it('every bad field at once', () => {
    const fields = issuesOf({ spo2: 120, respiratoryRate: 90, heartRate: 400, systolicBP: 10, temperature: 50, consciousness: 'Z', gcs: { eye: 9, verbal: 0, motor: 6 }, pulse: 80 })
      .map((issue) => issue.field);
    expect(fields.sort()).toEqual(['consciousness', 'gcs.eye', 'gcs.verbal', 'heartRate', 'pulse', 'respiratoryRate', 'spo2', 'systolicBP', 'temperature']);
  });

  it('names every bad field in the message, without repeating the values', () => {
    const message = messageOf(() => parseScoreInput({ spo2: 101.5, heartRate: 333 }));
    expect(message).toContain('spo2');
    expect(message).toContain('heartRate');
    expect(message).not.toContain('101.5');
    expect(message).not.toContain('333');
  });

  it.each([[null], [[1, 2]], ['{"spo2": 97}'], [42]])('a body that is not an object (%j)', (value) => {
    expect(issuesOf(value)).toEqual([{ field: '(root)', problem: expect.any(String) }]);
  });
});

describe('scoreVitals', () => {
  it('refuses an impossible reading even when called without parseScoreInput', () => {
    expect(() => scoreVitals({ spo2: 150 } as ScoreInput)).toThrow(expect.objectContaining({ code: 'INPUT_INVALID' }));
  });

  it('returns plain JSON: a round trip through JSON changes nothing', () => {
    for (const input of [{}, { ageYears: 4, heartRate: 130, systolicBP: 90, gcs: { eye: 3, verbal: 4, motor: 5 }, beFast: { face: true } }]) {
      const result = scoreVitals(input);
      expect(JSON.parse(JSON.stringify(result))).toStrictEqual(result);
    }
  });

  it('gives the same result for the same input', () => {
    const input: ScoreInput = { respiratoryRate: 24, spo2: 90, heartRate: 120, systolicBP: 95 };
    expect(scoreVitals(input)).toEqual(scoreVitals(input));
  });

  it('does not change its input', () => {
    const input: ScoreInput = { respiratoryRate: 8.5, temperature: 35.05, gcs: { eye: 4, verbal: 5, motor: 6 } };
    const copy = structuredClone(input);
    scoreVitals(input);
    expect(input).toEqual(copy);
  });
});

import { describe, expect, it } from 'vitest';
import { jsonError, runHema3n } from '../support/cli.js';

describe('hema3n score', () => {
  it('reads one JSON object on stdin and prints the scores as one JSON object', async () => {
    const vitals = { respiratoryRate: 24, spo2: 91, onOxygen: true, systolicBP: 95, heartRate: 118, consciousness: 'A', temperature: 38.6 };
    const run = await runHema3n(['score', '--json'], {}, JSON.stringify(vitals));
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.news2).toMatchObject({ total: 12, risk: 'high', partial: false, missing: [] });
    expect(result.acuity.level).toBeLessThanOrEqual(2);
    expect(result.acuity.reasons.length).toBeGreaterThan(0);
  });

  it('exits non-zero naming each bad field', async () => {
    const run = await runHema3n(['score', '--json'], {}, JSON.stringify({ respiratoryRate: 'fast', spo2: 140, consciousness: 'Q' }));
    expect(run.code).toBe(65);
    const error = jsonError(run);
    expect(error.code).toBe('INPUT_INVALID');
    expect(error.issues?.map((i) => i.field).sort()).toEqual(['consciousness', 'respiratoryRate', 'spo2']);
  });

  it('refuses stdin that is not JSON', async () => {
    const run = await runHema3n(['score', '--json'], {}, 'HR 80');
    expect(jsonError(run).code).toBe('INPUT_INVALID');
  });
});

import { describe, expect, it } from 'vitest';
import { jsonError, runHema3n } from '../support/cli.js';
import { randomKeyHex, useTempDirs } from '../support/temp.js';

/**
 * The real `hema3n` bin in a child process. `infer` and `adapters` must be registered in
 * edge/src/cli/index.ts (COMMANDS) for these to pass; cli.test.ts covers the commands directly.
 */
describe('hema3n infer --json (spawned)', () => {
  const tempDir = useTempDirs();
  const env = (): Record<string, string> => ({ HEMA3N_STATE_DIR: tempDir(), HEMA3N_DB_KEY: randomKeyHex() });

  it('reads score input plus complaint and specialty, and prints the merged result as one JSON object', async () => {
    const input = { respiratoryRate: 22, spo2: 94, systolicBP: 150, heartRate: 104, complaint: 'crushing chest pain', specialty: 'cardiology' };
    const run = await runHema3n(['infer', '--json'], env(), JSON.stringify(input));
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as Record<string, Record<string, unknown>>;
    expect(result.acuity).toMatchObject({ level: expect.any(Number), ruleLevel: expect.any(Number), modelLevel: expect.any(Number), reasons: expect.any(Array) });
    expect(result).toMatchObject({ adapter: { specialty: 'cardiology', version: '1.0.0' }, model: { id: 'hema3n-core', version: '0.1.0-reference' }, provider: 'cpu' });
    expect(typeof result.confidence).toBe('number');
    expect(typeof result.latencyMs).toBe('number');
  });

  it('exits non-zero with ADAPTER_NOT_FOUND for a specialty without an adapter', async () => {
    const run = await runHema3n(['infer', '--json'], env(), JSON.stringify({ heartRate: 80, specialty: 'oncology' }));
    expect(run.code).toBe(66);
    expect(jsonError(run).code).toBe('ADAPTER_NOT_FOUND');
  });

  it('lists the bundled adapters with adapters list --json', async () => {
    const run = await runHema3n(['adapters', 'list', '--json'], env());
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { specialty: string }[]).map((a) => a.specialty)).toHaveLength(9);
  });
});

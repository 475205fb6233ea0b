import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonError, runHema3n, type CliRun } from '../support/cli.js';
import { randomKeyHex, useTempDirs } from '../support/temp.js';
import { boxIn, BUNDLED_ADAPTERS, provisionBox, unitEnv, type Box } from './helpers.js';

const tempDir = useTempDirs();

interface Check {
  name: string;
  ok: boolean;
  level: string;
  detail: string;
  fix: string;
}

interface Report {
  ok: boolean;
  checks: Check[];
}

// One provisioned box for the whole file: doctor only reads it.
const boxDir = mkdtempSync(join(tmpdir(), 'hema3n-doctor-'));
const box: Box = boxIn(boxDir);

beforeAll(async () => {
  const run = await provisionBox(box);
  expect(run.code, run.stderr).toBe(0);
});

afterAll(() => rmSync(boxDir, { recursive: true, force: true }));

async function doctor(extra: Record<string, string> = {}): Promise<{ run: CliRun; report: Report; check: (name: string) => Check }> {
  const run = await runHema3n(['doctor', '--json'], unitEnv(box, extra));
  const report = JSON.parse(run.stdout) as Report;
  return { run, report, check: (name) => report.checks.find((c) => c.name === name)! };
}

function expectFailure(run: CliRun, report: Report, failed: readonly string[]): void {
  expect(report.ok).toBe(false);
  expect(run.code).toBe(69);
  expect(report.checks.filter((c) => !c.ok).map((c) => c.name)).toEqual(failed);
  expect(jsonError(run)).toMatchObject({ code: 'DOCTOR_FAILED', message: `Failed checks: ${failed.join(', ')}` });
}

describe('hema3n doctor', () => {
  it('passes on a freshly provisioned box, naming every check with what it found', async () => {
    const { run, report, check } = await doctor();
    expect(run.code, run.stdout).toBe(0);
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.name)).toEqual([
      'node', 'onnxruntime', 'model', 'adapters', 'execution providers', 'database', 'disk', 'clock', 'http port', 'mqtt port', 'mqtt tls port', 'cloud', 'certificate',
    ]);
    for (const c of report.checks) expect(Object.keys(c).sort()).toEqual(['detail', 'fix', 'level', 'name', 'ok']);
    expect(check('execution providers').detail).toMatch(/^loads: cpu; refused: tensorrt-int8: /);
    expect(check('model').detail).toContain('hema3n-core');
    expect(check('adapters').detail).toMatch(/^9 adapters verified: cardiology/);
    expect(check('database').detail).toContain('integrity, cipher integrity and audit chain');
    expect(check('certificate').detail).toMatch(/\d+ days left/);
  });

  it('fails the database check with DB_KEY_WRONG and its fix when the key does not open the database', async () => {
    const wrongKey = join(tempDir(), 'wrong.key');
    writeFileSync(wrongKey, `${randomKeyHex()}\n`, { mode: 0o600 });
    const { run, report, check } = await doctor({ HEMA3N_DB_KEY_FILE: wrongKey });
    expectFailure(run, report, ['database']);
    expect(check('database')).toMatchObject({ level: 'fail', detail: expect.stringMatching(/^DB_KEY_WRONG: /), fix: expect.stringContaining('Supply the key it was created with') });
  });

  it('fails the model check (and what needs the model) when HEMA3N_MODEL_DIR is an empty directory', async () => {
    const empty = join(tempDir(), 'empty-model');
    mkdirSync(empty);
    const { run, report, check } = await doctor({ HEMA3N_MODEL_DIR: empty });
    expectFailure(run, report, ['model', 'adapters', 'execution providers']);
    expect(check('model')).toMatchObject({ detail: expect.stringMatching(/^MODEL_PACKAGE_INVALID: /), fix: expect.stringContaining('HEMA3N_MODEL_DIR') });
  });

  it('fails the adapters check naming the specialty when an adapter file was altered after signing', async () => {
    const adapters = join(tempDir(), 'adapters');
    cpSync(join(BUNDLED_ADAPTERS, 'cardiology'), join(adapters, 'cardiology'), { recursive: true });
    cpSync(join(BUNDLED_ADAPTERS, 'neurology'), join(adapters, 'neurology'), { recursive: true });
    const weights = join(adapters, 'cardiology', 'adapter.safetensors');
    const bytes = readFileSync(weights);
    bytes[bytes.length - 1]! ^= 0x01;
    writeFileSync(weights, bytes);
    const { run, report, check } = await doctor({ HEMA3N_BUNDLED_ADAPTERS_DIR: adapters });
    expectFailure(run, report, ['adapters']);
    expect(check('adapters').detail).toMatch(/^refused: cardiology \(bundled, ADAPTER_CORRUPT: /);
    expect(check('adapters').fix).toContain('copy the package again');
  });

  it('fails the disk check when free space is below the minimum (a simulated quota)', async () => {
    const { run, report, check } = await doctor({ HEMA3N_DOCTOR_MIN_FREE_BYTES: String(2 ** 52) });
    expectFailure(run, report, ['disk']);
    expect(check('disk')).toMatchObject({ detail: expect.stringContaining('free for'), fix: expect.stringContaining('Free space') });
  });

  it('prints one line per check with the fix under a failure, and exits non-zero', async () => {
    const run = await runHema3n(['doctor'], unitEnv(box, { HEMA3N_DOCTOR_MIN_FREE_BYTES: String(2 ** 52) }));
    expect(run.code).toBe(69);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^\[ 1\/13\] node +ok +Node\.js /);
    expect(run.stdout).toMatch(/\[ 7\/13\] disk +FAIL .*\n +fix: Free space/);
    expect(lines.at(-1)).toBe('1 failed: disk');
    expect(run.stderr).toContain('DOCTOR_FAILED');
  });
});

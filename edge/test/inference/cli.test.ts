import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { adaptersInstall, adaptersList, adaptersRemove } from '../../src/cli/commands/adapters.js';
import { infer } from '../../src/cli/commands/infer.js';
import type { Command } from '../../src/cli/command.js';
import { createCliContext } from '../../src/cli/context.js';
import { runCli } from '../../src/cli/index.js';
import { AuditLog } from '../../src/audit/index.js';
import { randomKeyHex, useTempDirs } from '../support/temp.js';
import { copyAdapter, editAdapter } from './adapter-fixtures.js';
import { DEV_PUBLIC_KEY } from './fixtures.js';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command through the CLI's own boundary (argument parsing, error mapping) with in-memory streams. */
async function run(command: Command, env: Record<string, string>, options: { positionals?: string[]; stdin?: string; json?: boolean } = {}): Promise<Run> {
  const [stdout, stderr] = [new PassThrough(), new PassThrough()];
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const argv = [...command.path.split(' '), ...(options.positionals ?? []), ...((options.json ?? true) ? ['--json'] : [])];
  const code = await runCli(argv, { stdout, stderr, stdin: Readable.from([options.stdin ?? '']), env, cwd: process.cwd() });
  return { code, stdout: out, stderr: err };
}

const lastJson = (text: string): Record<string, unknown> => JSON.parse(text.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;

describe('hema3n infer and hema3n adapters (commands run directly)', () => {
  const tempDir = useTempDirs();
  const environment = (): Record<string, string> => ({ HEMA3N_STATE_DIR: tempDir(), HEMA3N_DB_KEY: randomKeyHex(), HEMA3N_LOG_LEVEL: 'error' });
  const CASE = { respiratoryRate: 24, spo2: 91, systolicBP: 98, heartRate: 121, temperature: 38.7, consciousness: 'A', complaint: 'fever and productive cough', specialty: 'pulmonology' };

  it('prints one JSON result merged with the rule floor', async () => {
    const result = await run(infer, environment(), { stdin: JSON.stringify(CASE) });
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout) as Record<string, Record<string, unknown>>;
    expect(output.acuity).toMatchObject({ level: expect.any(Number), ruleLevel: expect.any(Number), modelLevel: expect.any(Number), reasons: expect.any(Array) });
    expect(output.acuity!.level).toBeLessThanOrEqual(output.acuity!.ruleLevel as number);
    expect(output).toMatchObject({ adapter: { specialty: 'pulmonology', version: '1.0.0' }, model: { id: 'hema3n-core', version: '0.1.0-reference' }, provider: 'cpu' });
    expect(output.conditions).toHaveLength(3);
  });

  it('prints a readable summary without --json', async () => {
    const result = await run(infer, environment(), { stdin: JSON.stringify(CASE), json: false });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ESI \d \(rules \d, model \d/);
    expect(result.stdout).toMatch(/not for clinical use/);
  });

  it('refuses an unknown specialty, listing the installed ones', async () => {
    const result = await run(infer, environment(), { stdin: JSON.stringify({ ...CASE, specialty: 'oncology' }) });
    expect(result.code).toBe(66);
    const error = lastJson(result.stderr).error as { code: string; message: string };
    expect(error.code).toBe('ADAPTER_NOT_FOUND');
    expect(error.message).toMatch(/available: cardiology, dermatology, emergency, gastroenterology, neurology, orthopedics, pediatrics, psychiatry, pulmonology/);
  });

  it('refuses bad input naming each field before loading any model', async () => {
    const result = await run(infer, environment(), { stdin: JSON.stringify({ heartRate: -5, complaint: 7 }) });
    expect(result.code).toBe(65);
    expect(lastJson(result.stderr).error).toMatchObject({ code: 'INPUT_INVALID', issues: [{ field: 'complaint' }, { field: 'heartRate' }] });
  });

  it('refuses a model signed for another fleet with the model code and exit code', async () => {
    const env = { ...environment(), HEMA3N_FLEET_PUBLIC_KEY: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' };
    const result = await run(infer, env, { stdin: JSON.stringify(CASE) });
    expect(result.code).toBe(78);
    expect((lastJson(result.stderr).error as { code: string }).code).toBe('MODEL_SIGNATURE_INVALID');
  });

  it('lists, installs and removes adapters in the state dir, auditing each change', async () => {
    const env: Record<string, string> = { ...environment(), HEMA3N_FLEET_PUBLIC_KEY: DEV_PUBLIC_KEY };
    const listed = JSON.parse((await run(adaptersList, env)).stdout) as Record<string, unknown>[];
    expect(listed.map((a) => a.specialty)).toEqual(['cardiology', 'dermatology', 'emergency', 'gastroenterology', 'neurology', 'orthopedics', 'pediatrics', 'psychiatry', 'pulmonology']);
    expect(listed[0]).toMatchObject({ specialty: 'cardiology', version: '1.0.0', baseModelSha256: expect.stringMatching(/^[0-9a-f]{64}$/), source: 'bundled', status: 'serving' });

    const installed = await run(adaptersInstall, env, { positionals: [await copyAdapter('cardiology', tempDir(), '1.1.0')] });
    expect(installed.code).toBe(0);
    expect(JSON.parse(installed.stdout)).toMatchObject({ specialty: 'cardiology', version: '1.1.0', source: 'installed', path: join(env.HEMA3N_STATE_DIR ?? '', 'adapters', 'cardiology') });
    const after = JSON.parse((await run(adaptersList, env)).stdout) as Record<string, unknown>[];
    expect(after.find((a) => a.specialty === 'cardiology')).toMatchObject({ version: '1.1.0', source: 'installed' });

    const removed = await run(adaptersRemove, env, { positionals: ['cardiology'] });
    expect(JSON.parse(removed.stdout)).toMatchObject({ specialty: 'cardiology', removedVersion: '1.1.0', nowServing: { version: '1.0.0', source: 'bundled' } });

    const ctx = createCliContext({ stdout: new PassThrough(), stderr: new PassThrough(), stdin: Readable.from(['']), env, cwd: process.cwd() }, true);
    const audit = await ctx.withStore((store) => ({
      chain: new AuditLog(store.db).verify(),
      entries: store.db.prepare("SELECT action, resource FROM audit WHERE action LIKE 'adapter.%' ORDER BY id").all(),
    }));
    expect(audit.chain.ok).toBe(true);
    expect(audit.entries).toEqual([{ action: 'adapter.install', resource: 'adapter/cardiology@1.1.0' }, { action: 'adapter.remove', resource: 'adapter/cardiology@1.1.0' }]);
  });

  it('refuses to install a tampered adapter with its code, and to remove a bundled one', async () => {
    const env: Record<string, string> = { ...environment(), HEMA3N_FLEET_PUBLIC_KEY: DEV_PUBLIC_KEY };
    const tampered = await copyAdapter('neurology', tempDir());
    await editAdapter(tampered, (doc) => { doc.version = '6.6.6'; }, null);
    const install = await run(adaptersInstall, env, { positionals: [tampered] });
    expect(install.code).toBe(65);
    expect((lastJson(install.stderr).error as { code: string }).code).toBe('ADAPTER_SIGNATURE_INVALID');
    const remove = await run(adaptersRemove, env, { positionals: ['neurology'] });
    expect(remove.code).toBe(66);
    expect((lastJson(remove.stderr).error as { message: string }).message).toMatch(/bundled adapters ship with the release/);
  });
});

import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKeyPair } from '@hema3n/cloud-sync/wire';
import { REPO_ROOT, runCli, tempStateDir } from './helpers.js';

let state: ReturnType<typeof tempStateDir>;
let env: Record<string, string>;

beforeAll(() => {
  state = tempStateDir();
  env = { HEMA3N_CLOUD_STATE_DIR: state.dir };
});

afterAll(() => state?.remove());

describe('hema3n-cloud identity', () => {
  it('creates the keys on first use in a 0600 file and prints the same public keys every time', async () => {
    const first = await runCli(['identity', '--json'], env);
    expect(first.code).toBe(0);
    const keys = JSON.parse(first.stdout) as Record<string, string>;
    expect(Object.keys(keys).sort()).toEqual(['boxPublicKey', 'signPublicKey']);
    expect(keys.boxPublicKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(keys.signPublicKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(statSync(join(state.dir, 'identity.json')).mode & 0o777).toBe(0o600);
    expect(JSON.parse((await runCli(['identity', '--json'], env)).stdout)).toEqual(keys);
  });
});

describe('hema3n-cloud appliances', () => {
  it('adds, lists and revokes an appliance, printing one JSON value each time', async () => {
    const { publicKey } = await generateSigningKeyPair();
    const added = await runCli(['appliances', 'add', 'amb-cli-1', '--sign-key', publicKey, '--json'], env);
    expect(added.code).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ applianceId: 'amb-cli-1', signPublicKey: publicKey, status: 'active', revokedAt: null });
    const revoked = await runCli(['appliances', 'revoke', 'amb-cli-1', '--json'], env);
    expect(JSON.parse(revoked.stdout)).toMatchObject({ applianceId: 'amb-cli-1', status: 'revoked' });
    const list = await runCli(['appliances', 'list', '--json'], env);
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ applianceId: 'amb-cli-1', status: 'revoked' })]);
  });

  it.each([
    { name: 'an appliance id already registered', args: ['appliances', 'add', 'amb-cli-1', '--sign-key', 'AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE'], code: 'CONFLICT' },
    { name: 'a key that is not a 32-byte key', args: ['appliances', 'add', 'amb-cli-2', '--sign-key', 'not-a-key'], code: 'INPUT_INVALID' },
    { name: 'an appliance id with spaces', args: ['appliances', 'add', 'amb cli', '--sign-key', 'AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE'], code: 'INPUT_INVALID' },
    { name: 'a revoke of an unknown appliance', args: ['appliances', 'revoke', 'amb-none'], code: 'NOT_FOUND' },
    { name: 'a missing appliance id', args: ['appliances', 'revoke'], code: 'USAGE' },
    { name: 'an unknown option', args: ['appliances', 'list', '--colour'], code: 'USAGE' },
  ])('fails on $name with a non-zero exit and the error code $code as JSON on stderr', async ({ args, code }) => {
    const run = await runCli([...args, '--json'], env);
    expect(run.code).not.toBe(0);
    expect(run.stdout).toBe('');
    expect(JSON.parse(run.stderr)).toEqual({ error: expect.objectContaining({ code, message: expect.any(String) }) });
  });

  it('takes a key that starts with a dash as the value of --sign-key', async () => {
    let key: string;
    do key = (await generateSigningKeyPair()).publicKey;
    while (!key.startsWith('-'));
    const run = await runCli(['appliances', 'add', 'amb-cli-dash', '--sign-key', key, '--json'], env);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toMatchObject({ applianceId: 'amb-cli-dash', signPublicKey: key });
  });

  it('names both bad fields at once when the id and the key are both wrong', async () => {
    const run = await runCli(['appliances', 'add', 'bad id!', '--sign-key', 'xyz', '--json'], env);
    const fields = (JSON.parse(run.stderr) as { error: { issues: { field: string }[] } }).error.issues.map((i) => i.field);
    expect(fields.sort()).toEqual(['applianceId', 'signPublicKey']);
  });
});

describe('hema3n-cloud start', () => {
  it('logs the bound port as {"msg":"cloud ready","port":N}, serves /health, and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'cloud-sync/bin/hema3n-cloud.js'), 'start'], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', ...env, HEMA3N_CLOUD_PORT: '0' },
    });
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    const port = await new Promise<number>((done, fail) => {
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        for (const line of stderr.split('\n')) {
          const entry = line.startsWith('{') ? (JSON.parse(line) as { msg?: string; port?: number }) : undefined;
          if (entry?.msg === 'cloud ready' && typeof entry.port === 'number') done(entry.port);
        }
      });
      void exited.then((code) => fail(new Error(`exited ${code} before ready: ${stderr}`)));
    });
    const health = await (await fetch(`http://127.0.0.1:${port}/health`)).json();
    expect(health).toMatchObject({ ready: true, port, parts: { fhirStore: { ready: true, kind: 'embedded' } } });
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('refuses an invalid configuration with exit 78, naming every bad setting at once', async () => {
    const run = await runCli(['start'], { ...env, HEMA3N_CLOUD_PORT: 'eighty', HEMA3N_FHIR_TOKEN: 'token-without-url' });
    expect(run.code).toBe(78);
    const error = (JSON.parse(run.stderr.trim().split('\n').at(-1)!) as { error: { code: string; issues: { field: string }[] } }).error;
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.issues.map((i) => i.field).sort()).toEqual(['fhir.url (HEMA3N_FHIR_URL)', 'port (HEMA3N_CLOUD_PORT)']);
    expect(run.stderr).not.toContain('token-without-url');
  });
});

import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { provisionBox, type Box, type Report } from './helpers.js';

/** Stand-ins for tpm2-tools (there is no TPM here); see fixtures/tpm2-stand-in.sh. */
const STAND_IN = fileURLToPath(new URL('./fixtures/tpm2-stand-in.sh', import.meta.url));

export interface FakeTpm {
  readonly env: Record<string, string>;
  calls(): string[];
  handles(): string[];
  sealed(handle: string): string;
}

export function fakeTpm(dir: string): FakeTpm {
  const root = join(dir, 'tpm');
  const bin = join(root, 'bin');
  mkdirSync(join(root, 'handles'), { recursive: true });
  mkdirSync(bin);
  writeFileSync(join(root, 'stand-in.sh'), `#!/usr/bin/env bash\n${readFileSync(STAND_IN, 'utf8')}`);
  chmodSync(join(root, 'stand-in.sh'), 0o755);
  for (const tool of ['tpm2_createprimary', 'tpm2_create', 'tpm2_load', 'tpm2_evictcontrol', 'tpm2_unseal']) symlinkSync(join(root, 'stand-in.sh'), join(bin, tool));
  return {
    env: { FAKE_TPM: root, PATH: `${bin}:${process.env.PATH ?? ''}` },
    calls: () => (existsSync(join(root, 'calls.log')) ? readFileSync(join(root, 'calls.log'), 'utf8').trim().split('\n') : []),
    handles: () => readdirSync(join(root, 'handles')).sort(),
    sealed: (handle) => readFileSync(join(root, 'handles', handle), 'utf8'),
  };
}

export async function provisionTpm(box: Box, tpm: FakeTpm, args: readonly string[] = []): Promise<Report> {
  const run = await provisionBox(box, ['--key-provider', 'tpm2', ...args], tpm.env);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as Report;
}

export const tools = (calls: readonly string[]): string[] => calls.map((c) => c.split(' ')[0]!);

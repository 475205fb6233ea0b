import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HEMA3N_BIN, runHema3n } from '../support/cli.js';
import { randomKeyHex, useTempDirs } from '../support/temp.js';
import { makeModelPackage, newFleetKeys, treeHashes } from './helpers.js';

const tempDir = useTempDirs();

/** Starts `hema3n models install` (human output, not a TTY) and SIGKILLs it once it reports staging `file`. */
function killWhileStaging(dir: string, file: string, env: Record<string, string>): Promise<{ signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [HEMA3N_BIN, 'models', 'install', dir], { env: { PATH: process.env.PATH ?? '', ...env } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes(`staging ${file}`)) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => resolve({ signal, stderr }));
  });
}

describe('hema3n models install, interrupted', () => {
  it('leaves the running version untouched when killed mid-copy, and the next install cleans up after it', async () => {
    const dir = tempDir();
    const fleet = await newFleetKeys();
    const state = join(dir, 'state');
    const env = { HEMA3N_STATE_DIR: state, HEMA3N_DB_KEY: randomKeyHex(), HEMA3N_FLEET_PUBLIC_KEY: fleet.publicKey, HEMA3N_BUNDLED_ADAPTERS_DIR: 'none' };
    const root = join(state, 'models');
    const v1 = await makeModelPackage(join(dir, 'v1'), fleet, { version: '1.0.0' });
    expect((await runHema3n(['models', 'install', v1, '--json'], env)).code).toBe(0);
    const running = readlinkSync(join(root, 'current'));
    const runningFiles = treeHashes(join(root, running));
    // 256 MiB (sparse in the package, written for real into staging): the copy takes long enough to be caught in.
    const big = await makeModelPackage(join(dir, 'big'), fleet, { version: '2.0.0', extra: [{ path: 'calibration.bin', bytes: 256 * 1024 * 1024 }] });
    const killed = await killWhileStaging(big, 'calibration.bin', env);
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.stderr).toContain('staging calibration.bin (256.0 MiB)');
    expect(readlinkSync(join(root, 'current'))).toBe(running);
    expect(treeHashes(join(root, running))).toEqual(runningFiles);
    expect(readdirSync(root).filter((n) => n.startsWith('.staging-'))).toHaveLength(1);
    const listed = JSON.parse((await runHema3n(['models', 'list', '--json'], env)).stdout) as { slot: string; version: string }[];
    expect(listed.map((m) => [m.slot, m.version])).toEqual([['current', '1.0.0']]);

    const v3 = await makeModelPackage(join(dir, 'v3'), fleet, { version: '3.0.0' });
    const next = await runHema3n(['models', 'install', v3, '--json'], env);
    expect(next.code, next.stderr).toBe(0);
    expect(JSON.parse(next.stdout)).toMatchObject({ action: 'replaced', current: { version: '3.0.0' }, previous: { version: '1.0.0' } });
    expect(readdirSync(root).filter((n) => n.startsWith('.'))).toEqual([]);
    expect(existsSync(join(root, '.lock'))).toBe(false);
  });
});

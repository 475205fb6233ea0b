import { createHash } from 'node:crypto';
import { copyFileSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSigningKeyPair } from '@hema3n/cloud-sync/wire';
import { expect } from 'vitest';
import { signPackageDocument } from '../../src/inference/index.js';
import { parseEnvFile } from '../../src/ops/index.js';
import { runHema3n, type CliRun } from '../support/cli.js';

export const BUNDLED_MODEL = fileURLToPath(new URL('../../../models/hema3n-core/', import.meta.url));
export const BUNDLED_ADAPTERS = fileURLToPath(new URL('../../../lora-adapters/', import.meta.url));
export const DEV_FLEET_KEY = readFileSync(fileURLToPath(new URL('../../../models/fleet-dev.pub', import.meta.url)), 'utf8').trim();

export interface Box {
  readonly stateDir: string;
  readonly envFile: string;
}

export const boxIn = (dir: string): Box => ({ stateDir: join(dir, 'state'), envFile: join(dir, 'hema3n.env') });

/** Runs `hema3n provision --json` for a box, with the development fleet key unless args name another. */
export function provisionBox(box: Box, args: readonly string[] = [], env: Record<string, string> = {}): Promise<CliRun> {
  const fleet = args.includes('--fleet-key') ? [] : ['--fleet-key', DEV_FLEET_KEY];
  return runHema3n(['provision', '--env-path', box.envFile, ...fleet, ...args, '--json'], { HEMA3N_STATE_DIR: box.stateDir, ...env });
}

/** What the units would run the daemon and the CLI with: the env file, plus ephemeral ports so tests never collide. */
export function unitEnv(box: Box, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...Object.fromEntries(parseEnvFile(readFileSync(box.envFile, 'utf8'))),
    HEMA3N_HTTP_PORT: '0',
    HEMA3N_MQTT_PORT: '0',
    HEMA3N_MQTT_TLS_PORT: '0',
    ...extra,
  };
}

/** sha256 of every file under dir (symlinks by their target), keyed by relative path: a fingerprint of a state directory. */
export function treeHashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (current: string): void => {
    for (const name of readdirSync(current).sort()) {
      const path = join(current, name);
      const stat = lstatSync(path);
      if (stat.isSymbolicLink()) out[relative(dir, path)] = `-> ${readlinkSync(path)}`;
      else if (stat.isDirectory()) walk(path);
      else out[relative(dir, path)] = `${(stat.mode & 0o777).toString(8)} ${createHash('sha256').update(readFileSync(path)).digest('hex')}`;
    }
  };
  walk(dir);
  return out;
}

export interface FleetKeys {
  readonly publicKey: string;
  readonly secretKey: string;
}

export const newFleetKeys = (): Promise<FleetKeys> => generateSigningKeyPair();

export interface PackageOptions {
  readonly version: string;
  /** Extra files listed in the manifest, made sparse (zeros) so a big one costs no time to create. */
  readonly extra?: readonly { path: string; bytes: number }[];
}

function sha256OfZeros(bytes: number): string {
  const hash = createHash('sha256');
  const chunk = Buffer.alloc(1024 * 1024);
  for (let left = bytes; left > 0; left -= chunk.length) hash.update(left >= chunk.length ? chunk : chunk.subarray(0, left));
  return hash.digest('hex');
}

/** A copy of the release's model package at another version, signed with `fleet`. */
export async function makeModelPackage(dir: string, fleet: FleetKeys, options: PackageOptions): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(BUNDLED_MODEL, 'manifest.json'), 'utf8')) as Record<string, unknown> & { files: { path: string }[] };
  for (const file of manifest.files) copyFileSync(join(BUNDLED_MODEL, file.path), join(dir, file.path));
  const extra = (options.extra ?? []).map(({ path, bytes }) => {
    writeFileSync(join(dir, path), '');
    truncateSync(join(dir, path), bytes);
    return { role: 'calibration', path, sha256: sha256OfZeros(bytes), bytes };
  });
  const signed = await signPackageDocument('model', { ...manifest, version: options.version, files: [...extra, ...manifest.files] }, fleet.secretKey);
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(signed, null, 2)}\n`);
  return dir;
}

export interface Report {
  changed: boolean;
  applianceId: string;
  signPublicKey: string;
  steps: { name: string; action: string; detail: string }[];
  crew: { id: string; name: string; role: string; action: string }[];
  devices: { id: string; kind: string; action: string; secret?: string }[];
  certificate: { fingerprint256: string; certFile: string; keyFile: string };
  warnings: string[];
}

export const ROSTER = {
  crew: [{ name: 'Ada Medic', role: 'paramedic', pin: '4821' }],
  devices: [{ id: 'spo2-1', kind: 'pulse-oximeter' }, { id: 'cam-1', kind: 'camera' }],
};

export function rosterFile(dir: string, roster: unknown = ROSTER): string {
  const path = join(dir, 'roster.json');
  writeFileSync(path, JSON.stringify(roster));
  return path;
}

export async function provisioned(box: Box, args: readonly string[] = []): Promise<Report> {
  const run = await provisionBox(box, args);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as Report;
}

export const actions = (report: Report): Record<string, string> => Object.fromEntries(report.steps.map((s) => [s.name, s.action]));
export const snapshot = (box: Box): { files: Record<string, string>; env: string } => ({ files: treeHashes(box.stateDir), env: readFileSync(box.envFile, 'utf8') });


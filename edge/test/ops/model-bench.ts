import { join } from 'node:path';
import { expect } from 'vitest';
import { runHema3n, type CliRun } from '../support/cli.js';
import { randomKeyHex } from '../support/temp.js';
import { newFleetKeys, type FleetKeys } from './helpers.js';

export interface Installed {
  slot: string;
  id: string;
  version: string;
  sha256: string;
  path: string;
}

export interface Change {
  action: string;
  current: Installed;
  previous: Installed | null;
}

export interface Bench {
  readonly dir: string;
  readonly fleet: FleetKeys;
  readonly env: Record<string, string>;
  models(...args: string[]): Promise<CliRun>;
}

/** A state dir and a fresh fleet key, with `hema3n models ... --json` bound to them. */
export async function bench(dir: string): Promise<Bench> {
  const fleet = await newFleetKeys();
  const state = join(dir, 'state');
  const env = {
    HEMA3N_STATE_DIR: state,
    HEMA3N_DB_KEY: randomKeyHex(),
    HEMA3N_FLEET_PUBLIC_KEY: fleet.publicKey,
    HEMA3N_MODEL_DIR: join(state, 'models', 'current'),
    HEMA3N_BUNDLED_ADAPTERS_DIR: 'none',
  };
  return { dir, fleet, env, models: (...args) => runHema3n(['models', ...args, '--json'], env) };
}

export const change = (run: CliRun): Change => {
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as Change;
};

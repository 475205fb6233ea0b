import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hema3nError } from '../errors.js';
import type { Logger } from '../observability/index.js';

/** The release's own model package and adapters, found relative to this file (no build step, the repo is what runs). */
export const BUNDLED_MODEL_DIR = fileURLToPath(new URL('../../../models/hema3n-core/', import.meta.url));
export const BUNDLED_ADAPTERS_DIR = fileURLToPath(new URL('../../../lora-adapters/', import.meta.url));
/** Development fleet key: trusted only in development mode when HEMA3N_FLEET_PUBLIC_KEY is unset. */
export const DEV_FLEET_PUBLIC_KEY_FILE = fileURLToPath(new URL('../../../models/fleet-dev.pub', import.meta.url));

export interface InferenceSettings {
  readonly modelDir: string;
  readonly adaptersDir: string;
  readonly bundledAdaptersDir: string | null;
  readonly fleetPublicKey: string;
  readonly fleetKeySource: 'HEMA3N_FLEET_PUBLIC_KEY' | 'development key';
  readonly stateDir: string;
}

export interface SettingsContext {
  /** The `inference` section of the frozen configuration. */
  readonly configured: { readonly modelDir?: string | undefined; readonly bundledAdaptersDir?: string | undefined; readonly fleetPublicKey?: string | undefined };
  readonly cwd: string;
  readonly stateDir: string;
  readonly mode: 'development' | 'production';
  readonly logger: Logger;
}

/**
 * Where the model, the adapters and the fleet key come from:
 *  - model: HEMA3N_MODEL_DIR, else the release's models/hema3n-core;
 *  - adapters: <stateDir>/adapters (installed) first, then HEMA3N_BUNDLED_ADAPTERS_DIR or the
 *    release's lora-adapters/ ("none" turns bundled adapters off);
 *  - fleet key: HEMA3N_FLEET_PUBLIC_KEY (installed at provisioning); development mode alone
 *    falls back to the committed development key, with a warning. Production never does.
 */
export function resolveInferenceSettings(c: SettingsContext): InferenceSettings {
  const bundled = c.configured.bundledAdaptersDir;
  return {
    modelDir: c.configured.modelDir ? resolve(c.cwd, c.configured.modelDir) : BUNDLED_MODEL_DIR,
    adaptersDir: join(resolve(c.cwd, c.stateDir), 'adapters'),
    bundledAdaptersDir: bundled === 'none' ? null : bundled ? resolve(c.cwd, bundled) : BUNDLED_ADAPTERS_DIR,
    ...fleetKey(c),
    stateDir: resolve(c.cwd, c.stateDir),
  };
}

function fleetKey(c: SettingsContext): Pick<InferenceSettings, 'fleetPublicKey' | 'fleetKeySource'> {
  const configured = c.configured.fleetPublicKey;
  if (configured) return { fleetPublicKey: configured, fleetKeySource: 'HEMA3N_FLEET_PUBLIC_KEY' };
  if (c.mode === 'production') {
    throw new Hema3nError('CONFIG_INVALID', 'No fleet public key is configured', {
      issues: [{ field: 'HEMA3N_FLEET_PUBLIC_KEY', problem: 'is required in production (the key installed at provisioning)' }],
    });
  }
  c.logger.warn({ file: DEV_FLEET_PUBLIC_KEY_FILE }, 'HEMA3N_FLEET_PUBLIC_KEY is not set: trusting the development fleet key (development mode only)');
  return { fleetPublicKey: readFileSync(DEV_FLEET_PUBLIC_KEY_FILE, 'utf8').trim(), fleetKeySource: 'development key' };
}

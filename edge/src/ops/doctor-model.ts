import { ERROR_CATALOGUE, type ErrorCode } from '../errors.js';
import {
  AdapterRegistry, loadModelPackage, parseFleetPublicKey, resolveInferenceSettings, type InferenceSettings, type ModelPackage,
} from '../inference/index.js';
import { fail, ok, warn, type Check, type DoctorContext, type Finding } from './doctor.js';
import { ModelStore } from './model-store.js';

export interface LoadedModel {
  readonly settings: InferenceSettings;
  readonly pkg: ModelPackage;
}

/** Loads and verifies the model once for every check that needs it (model, adapters, execution providers). */
export function modelLoader(c: DoctorContext): () => Promise<LoadedModel> {
  let pending: Promise<LoadedModel> | undefined;
  return () =>
    (pending ??= (async () => {
      const { config } = c;
      const settings = resolveInferenceSettings({ configured: config.inference, cwd: c.cwd, stateDir: config.stateDir, mode: config.mode, logger: c.logger });
      return { settings, pkg: await loadModelPackage(settings.modelDir, parseFleetPublicKey(settings.fleetPublicKey)) };
    })());
}

export function modelCheck(c: DoctorContext, load: () => Promise<LoadedModel>): Check {
  return {
    name: 'model',
    async run(): Promise<Finding> {
      const { settings, pkg } = await load();
      const { id, version } = pkg.manifest;
      const detail = `${id} ${version} (sha256 ${pkg.sha256.slice(0, 12)}…) verified with the ${settings.fleetKeySource === 'development key' ? 'development' : 'installed'} fleet key, from ${settings.modelDir}`;
      const leftovers = await new ModelStore(c.config.stateDir, parseFleetPublicKey(settings.fleetPublicKey)).leftovers();
      if (leftovers.length > 0) return warn(`${detail}; an interrupted install left ${leftovers.join(', ')}`, 'The next `hema3n models install` removes it; the running model is not affected.');
      if (c.config.mode === 'production' && settings.fleetKeySource === 'development key') return fail(detail, 'Run `hema3n provision --fleet-key <key>` so production trusts the fleet key.');
      return ok(detail);
    },
  };
}

export function adaptersCheck(c: DoctorContext, load: () => Promise<LoadedModel>): Check {
  return {
    name: 'adapters',
    async run(): Promise<Finding> {
      const { settings, pkg } = await load();
      const registry = new AdapterRegistry({
        model: pkg,
        installedDir: settings.adaptersDir,
        bundledDir: settings.bundledAdaptersDir,
        fleetKey: parseFleetPublicKey(settings.fleetPublicKey),
        logger: c.logger,
      });
      await registry.load();
      const refused = registry.refused();
      const served = registry.list().map((a) => `${a.specialty} ${a.version}`);
      if (refused.length === 0) return ok(`${served.length} adapters verified${served.length > 0 ? `: ${served.join(', ')}` : ''}`);
      const first = refused[0]!;
      const fix = ERROR_CATALOGUE[first.code as ErrorCode]?.fix ?? 'Reinstall the adapter from the release.';
      return fail(`refused: ${refused.map((r) => `${r.specialty} (${r.source}, ${r.code}: ${r.reason})`).join('; ')}`, fix);
    },
  };
}

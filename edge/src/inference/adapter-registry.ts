import { access, mkdir, readdir } from 'node:fs/promises';
import { watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../observability/index.js';
import { ADAPTER_DOCUMENT, loadAdapterPackage, type PreparedAdapter } from './adapter-package.js';
import { commit, discard, installedSpecialties, previousDir, SPECIALTY_NAME, stage, uninstall } from './adapter-store.js';
import { InferenceError, isInferenceError } from './errors.js';
import type { ModelPackage } from './model-package.js';
import type { FleetPublicKey } from './signing.js';

export type AdapterSource = 'installed' | 'bundled';

export interface ServedAdapter extends PreparedAdapter {
  readonly source: AdapterSource;
}

/** One line of `hema3n adapters list`. */
export interface AdapterSummary {
  readonly specialty: string;
  readonly version: string;
  readonly baseModelSha256: string;
  readonly name: string;
  readonly format: PreparedAdapter['format'];
  readonly rank: number;
  readonly alpha: number;
  readonly targets: readonly string[];
  readonly source: AdapterSource;
  readonly keyId: string;
  readonly path: string;
}

/** A package found on disk and not served, with the reason. */
export interface AdapterRefusal {
  readonly specialty: string;
  readonly source: AdapterSource;
  readonly path: string;
  readonly code: string;
  readonly reason: string;
}

export interface AdapterRemoval {
  readonly specialty: string;
  /** null when the removed package had been refused. */
  readonly removedVersion: string | null;
  /** The bundled adapter that serves the specialty from now on, if any. */
  readonly nowServing: AdapterSummary | null;
}

export interface AdapterRegistryOptions {
  readonly model: ModelPackage;
  /** <stateDir>/adapters: what technicians install; wins over bundled. */
  readonly installedDir: string;
  /** The adapters shipped with the release (the repo's lora-adapters/); null for none. */
  readonly bundledDir: string | null;
  readonly fleetKey: FleetPublicKey;
  readonly logger: Logger;
}

export const summarise = (a: ServedAdapter): AdapterSummary => ({
  specialty: a.specialty, version: a.version, baseModelSha256: a.baseModelSha256, name: a.name, format: a.format,
  rank: a.rank, alpha: a.alpha, targets: a.targets, source: a.source, keyId: a.keyId, path: a.dir,
});

interface Scan {
  readonly adapters: Map<string, ServedAdapter>;
  readonly refusals: AdapterRefusal[];
}

/**
 * The adapters the running model can serve, by specialty. Requests read an immutable map;
 * install, remove and refresh build a new map and swap it in one assignment, so a request in
 * flight keeps the adapter it resolved and none ever waits for a change. Changes run one at a time.
 */
export class AdapterRegistry {
  private served: ReadonlyMap<string, ServedAdapter> = new Map();
  private bundled: ReadonlyMap<string, ServedAdapter> = new Map();
  private installed: ReadonlyMap<string, ServedAdapter> = new Map();
  private refusals: { bundled: AdapterRefusal[]; installed: AdapterRefusal[] } = { bundled: [], installed: [] };
  private queue: Promise<unknown> = Promise.resolve();
  private watcher: FSWatcher | undefined;

  constructor(private readonly options: AdapterRegistryOptions) {}

  get model(): ModelPackage {
    return this.options.model;
  }

  /** Reads bundled and installed adapters; refused ones are logged and listed, never served. */
  load(): Promise<void> {
    return this.serialised(async () => {
      await mkdir(this.options.installedDir, { recursive: true, mode: 0o700 });
      const bundled = this.options.bundledDir ? await this.scan(this.options.bundledDir, 'bundled', await this.bundledNames()) : { adapters: new Map(), refusals: [] };
      this.bundled = bundled.adapters;
      this.refusals.bundled = bundled.refusals;
      await this.rescanInstalled();
    });
  }

  /** Picks up installs and removals made by another process (the CLI) while the daemon runs. */
  refresh(): Promise<void> {
    return this.serialised(() => this.rescanInstalled());
  }

  /** The adapter for a request; unknown specialties are refused with the list of servable ones. */
  resolve(specialty: string): ServedAdapter {
    const adapter = this.served.get(specialty);
    if (adapter) return adapter;
    const refused = [...this.refusals.installed, ...this.refusals.bundled].find((r) => r.specialty === specialty);
    const available = [...this.served.keys()].sort();
    const why = refused ? `its ${refused.source} adapter was refused (${refused.code})` : 'no adapter is installed for it';
    throw new InferenceError('ADAPTER_NOT_FOUND', `Specialty ${specialty} cannot be served: ${why}; available: ${available.join(', ') || 'none'}`, {
      issues: [{ field: 'specialty', problem: `must be one of: ${available.join(', ') || '(no adapters installed)'}` }],
    });
  }

  list(): AdapterSummary[] {
    return [...this.served.values()].map(summarise).sort((a, b) => a.specialty.localeCompare(b.specialty));
  }

  refused(): AdapterRefusal[] {
    return [...this.refusals.installed, ...this.refusals.bundled];
  }

  /** Verify, copy to staging, verify the copy, switch atomically (the replaced version is kept for rollback). */
  install(source: string): Promise<AdapterSummary> {
    return this.serialised(async () => {
      const { model, fleetKey, installedDir } = this.options;
      const checked = await loadAdapterPackage(source, model, fleetKey);
      const staged = await stage(installedDir, source, checked.files, checked.specialty);
      try {
        await loadAdapterPackage(staged, model, fleetKey);
        await commit(installedDir, staged, checked.specialty, checked.version);
      } catch (error) {
        await discard(staged);
        throw error;
      }
      const adapter: ServedAdapter = { ...checked, dir: join(installedDir, checked.specialty), source: 'installed' };
      this.publish({ installed: new Map(this.installed).set(adapter.specialty, adapter) });
      this.options.logger.info({ specialty: adapter.specialty, adapterVersion: adapter.version }, 'adapter installed');
      return summarise(adapter);
    });
  }

  /** Stops serving the installed adapter of a specialty (a refused one is removed too); a bundled one, if any, serves again. */
  remove(specialty: string): Promise<AdapterRemoval> {
    return this.serialised(async () => {
      if (!SPECIALTY_NAME.test(specialty) || !(await uninstall(this.options.installedDir, specialty))) {
        const bundled = this.bundled.has(specialty) ? ' (bundled adapters ship with the release and cannot be removed)' : '';
        throw new InferenceError('ADAPTER_NOT_FOUND', `No installed adapter for specialty ${specialty}${bundled}`, { issues: [{ field: 'specialty', problem: 'has no installed adapter' }] });
      }
      const removedVersion = this.installed.get(specialty)?.version ?? null;
      const installed = new Map(this.installed);
      installed.delete(specialty);
      this.refusals.installed = this.refusals.installed.filter((r) => r.specialty !== specialty);
      this.publish({ installed });
      this.options.logger.info({ specialty, adapterVersion: removedVersion }, 'adapter removed');
      const now = this.served.get(specialty);
      return { specialty, removedVersion, nowServing: now ? summarise(now) : null };
    });
  }

  previous(specialty: string): Promise<string | null> {
    return previousDir(this.options.installedDir, specialty);
  }

  /** Refreshes (debounced) whenever the installed directory changes; returns the stop function. */
  watch(debounceMs = 100): () => void {
    let timer: NodeJS.Timeout | undefined;
    this.watcher = watch(this.options.installedDir, () => {
      clearTimeout(timer);
      timer = setTimeout(() => void this.refresh().catch((err: unknown) => this.options.logger.error({ err }, 'adapter refresh failed')), debounceMs);
    });
    return () => {
      clearTimeout(timer);
      this.watcher?.close();
    };
  }

  /** Bundled directories that are adapters: named after a specialty of the model, or holding an adapter.json (build tools live alongside). */
  private async bundledNames(): Promise<string[]> {
    const root = this.options.bundledDir ?? '';
    const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
    const specialties = new Set(this.options.model.manifest.labels.specialties);
    const candidates = entries.filter((e) => e.isDirectory() && SPECIALTY_NAME.test(e.name)).map((e) => e.name);
    const adapters = await Promise.all(candidates.map(async (name) => specialties.has(name) || (await access(join(root, name, ADAPTER_DOCUMENT)).then(() => true, () => false))));
    return candidates.filter((_, i) => adapters[i]).sort();
  }

  private async rescanInstalled(): Promise<void> {
    const scan = await this.scan(this.options.installedDir, 'installed', await installedSpecialties(this.options.installedDir));
    this.refusals.installed = scan.refusals;
    this.publish({ installed: scan.adapters });
  }

  private async scan(root: string, source: AdapterSource, names: readonly string[]): Promise<Scan> {
    const adapters = new Map<string, ServedAdapter>();
    const refusals: AdapterRefusal[] = [];
    for (const name of names) {
      const dir = join(root, name);
      try {
        const prepared = await loadAdapterPackage(dir, this.options.model, this.options.fleetKey);
        if (prepared.specialty !== name) throw new InferenceError('ADAPTER_CORRUPT', `The directory ${name} holds an adapter for ${prepared.specialty}`);
        adapters.set(name, { ...prepared, source });
      } catch (error) {
        if (!isInferenceError(error)) throw error;
        refusals.push({ specialty: name, source, path: dir, code: error.code, reason: error.message });
        this.options.logger.warn({ specialty: name, source, code: error.code, issues: error.issues }, 'adapter refused');
      }
    }
    return { adapters, refusals };
  }

  /** The copy-on-write swap: one assignment replaces what every new request sees. */
  private publish(change: { installed: ReadonlyMap<string, ServedAdapter> }): void {
    this.installed = change.installed;
    this.served = new Map([...this.bundled, ...this.installed]);
  }

  private serialised<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

import { scoreVitals } from '../clinical/index.js';
import type { Logger } from '../observability/index.js';
import { AdapterRegistry } from './adapter-registry.js';
import type { BatchingOptions } from './batcher.js';
import { encodeRow } from './features.js';
import { caseText, scorePart, type InferInput } from './input.js';
import { loadModelPackage } from './model-package.js';
import { EXECUTION_PROVIDERS, ortSessionFactory, type ExecutionProvider, type SessionFactory } from './providers.js';
import { mergeResult, type InferenceResult } from './result.js';
import { ModelRuntime } from './runtime.js';
import { parseFleetPublicKey, type FleetPublicKey } from './signing.js';

export interface InferenceOptions {
  /** The model package directory (manifest.json, model.onnx, vocab.txt). */
  readonly modelDir: string;
  /** <stateDir>/adapters: installed adapters. */
  readonly adaptersDir: string;
  /** Adapters shipped with the release (the repo's lora-adapters/); null for none. */
  readonly bundledAdaptersDir: string | null;
  /** Ed25519 fleet public key, URL-safe base64 (HEMA3N_FLEET_PUBLIC_KEY). */
  readonly fleetPublicKey: string;
  /** TensorRT's engine cache goes under <stateDir>/trt-cache. */
  readonly stateDir: string;
  readonly logger: Logger;
  /** Tried in this order; default TensorRT, CUDA, CPU. */
  readonly providers?: readonly ExecutionProvider[];
  /** Opens sessions; tests inject one that fails for chosen providers. */
  readonly sessionFactory?: SessionFactory;
  /** onnxruntime intra-op threads; 1 suits a model this small (see docs/INFERENCE.md). */
  readonly threads?: number;
  readonly batching?: Partial<BatchingOptions>;
  /** How many conditions a result lists. */
  readonly topK?: number;
}

/** Measured in bench/inference: with no window a lone request runs at once (p50 0.12 ms); a 1 ms window made it 1.3 ms. */
export const DEFAULT_BATCHING: BatchingOptions = { maxBatch: 32, windowMs: 0 };

interface Serving {
  readonly runtime: ModelRuntime;
  readonly adapters: AdapterRegistry;
}

/**
 * HEMA3N-core inference: verified package, one session, per-request LoRA adapters, and results
 * merged with the clinical rule floor. Transport-free: the CLI and the HTTP route both call infer().
 */
export class InferenceService {
  private stopWatch: (() => void) | null = null;
  private reloads: Promise<void> = Promise.resolve();

  private constructor(
    private readonly options: InferenceOptions,
    private readonly fleetKey: FleetPublicKey,
    private serving: Serving,
  ) {}

  /** Loads and verifies the package, opens the session (provider fallback), warms it up, loads the adapters. */
  static async open(options: InferenceOptions): Promise<InferenceService> {
    const fleetKey = parseFleetPublicKey(options.fleetPublicKey);
    return new InferenceService(options, fleetKey, await openServing(options, fleetKey, options.modelDir));
  }

  get adapters(): AdapterRegistry {
    return this.serving.adapters;
  }

  get runtime(): ModelRuntime {
    return this.serving.runtime;
  }

  async infer(input: InferInput): Promise<InferenceResult> {
    const t0 = performance.now();
    const { runtime, adapters } = this.serving;
    const adapter = input.specialty === undefined ? null : adapters.resolve(input.specialty);
    const score = scoreVitals(scorePart(input));
    const row = encodeRow(runtime.pkg, { vitals: input as Record<string, unknown>, text: caseText(input), audio: input.audio, image: input.image });
    const outputs = await runtime.submit(row, adapter?.feeds ?? runtime.zeroLora);
    return mergeResult({
      manifest: runtime.pkg.manifest,
      score,
      outputs,
      inputs: row.present,
      adapter: adapter && { specialty: adapter.specialty, version: adapter.version },
      provider: runtime.provider,
      topK: this.options.topK ?? 3,
      latencyMs: performance.now() - t0,
    });
  }

  /**
   * Replaces the model with the package in `dir` once it has passed every check; a refused package
   * throws and the running model keeps serving. Requests already queued finish on the old session.
   */
  reloadModel(dir = this.options.modelDir): Promise<void> {
    const reload = this.reloads.then(async () => {
      const next = await openServing(this.options, this.fleetKey, dir);
      const previous = this.serving;
      this.serving = next;
      if (this.stopWatch) this.watchAdapters();
      await previous.runtime.close(this.options.logger);
    });
    // One reload at a time, so no replaced session is left open.
    this.reloads = reload.catch(() => undefined);
    return reload;
  }

  /** Follows installs and removals that another process (the CLI) makes in adaptersDir, until close(). */
  watchAdapters(): void {
    this.stopWatch?.();
    this.stopWatch = this.serving.adapters.watch();
  }

  describe(): Record<string, unknown> {
    const { runtime, adapters } = this.serving;
    const m = runtime.pkg.manifest;
    return {
      provider: runtime.provider,
      providerAttempts: runtime.attempts,
      model: { id: m.id, version: m.version, sha256: runtime.pkg.sha256, referenceModel: m.referenceModel, statement: m.statement },
      adapters: adapters.list().map((a) => ({ specialty: a.specialty, version: a.version, source: a.source })),
      refusedAdapters: adapters.refused().map((r) => ({ specialty: r.specialty, source: r.source, code: r.code })),
      batching: { ...DEFAULT_BATCHING, ...this.options.batching },
      ...runtime.stats,
    };
  }

  close(): Promise<void> {
    this.stopWatch?.();
    this.stopWatch = null;
    return this.serving.runtime.close(this.options.logger);
  }
}

async function openServing(options: InferenceOptions, fleetKey: FleetPublicKey, modelDir: string): Promise<Serving> {
  const { logger } = options;
  const pkg = await loadModelPackage(modelDir, fleetKey);
  const m = pkg.manifest;
  if (m.referenceModel) logger.warn({ model: m.id, modelVersion: m.version }, m.statement);
  const batching = { ...DEFAULT_BATCHING, ...options.batching };
  const runtime = await ModelRuntime.open(pkg, {
    providers: options.providers ?? EXECUTION_PROVIDERS,
    stateDir: options.stateDir,
    threads: options.threads ?? 1,
    factory: options.sessionFactory ?? ortSessionFactory,
    logger,
    batching,
  });
  try {
    await runtime.warmUp(encodeRow(pkg, { vitals: {}, text: null }), batching.maxBatch);
    const adapters = new AdapterRegistry({ model: pkg, installedDir: options.adaptersDir, bundledDir: options.bundledAdaptersDir, fleetKey, logger });
    await adapters.load();
    logger.info({ model: m.id, modelVersion: m.version, provider: runtime.provider, adapters: adapters.list().length }, 'inference ready');
    return { runtime, adapters };
  } catch (error) {
    await runtime.close(logger);
    throw error;
  }
}

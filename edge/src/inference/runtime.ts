import * as ort from 'onnxruntime-node';
import type { Logger } from '../observability/index.js';
import { graphIssues, type GraphTensor } from './contract.js';
import { InferenceError } from './errors.js';
import type { EncodedRow } from './features.js';
import { MicroBatcher, type BatchingOptions } from './batcher.js';
import { baseModelFeeds, type LoraFeeds } from './lora.js';
import type { ModelManifest } from './manifest.js';
import type { ModelPackage } from './model-package.js';
import { openWithFallback, type ExecutionProvider, type OpenedSession, type SessionFactory } from './providers.js';

/** One row's outputs, decoded per the manifest's label sections. */
export interface RowOutputs {
  readonly triageLogits: Float32Array;
  readonly conditionLogits: Float32Array;
  readonly confidence: number;
  /** Extra outputs asked for by name (diagnostics, e.g. fusion_features). */
  readonly extra: Readonly<Record<string, Float32Array>>;
}

export interface RuntimeOptions {
  readonly providers: readonly ExecutionProvider[];
  readonly stateDir: string;
  readonly threads: number;
  readonly factory: SessionFactory;
  readonly logger: Logger;
  readonly batching: BatchingOptions;
}

const asGraphTensor = (meta: ort.InferenceSession.ValueMetadata): GraphTensor =>
  meta.isTensor ? { name: meta.name, dtype: meta.type, shape: [...meta.shape] } : { name: meta.name, dtype: null, shape: null };

/** One row input of every row stacked into a [B, width] tensor. */
function stackFloat(rows: readonly EncodedRow[], pick: (row: EncodedRow) => Float32Array): ort.Tensor {
  const width = rows[0] ? pick(rows[0]).length : 0;
  const data = new Float32Array(rows.length * width);
  rows.forEach((row, n) => data.set(pick(row), n * width));
  return new ort.Tensor('float32', data, [rows.length, width]);
}

function stackInt64(rows: readonly EncodedRow[], pick: (row: EncodedRow) => BigInt64Array): ort.Tensor {
  const width = rows[0] ? pick(rows[0]).length : 0;
  const data = new BigInt64Array(rows.length * width);
  rows.forEach((row, n) => data.set(pick(row), n * width));
  return new ort.Tensor('int64', data, [rows.length, width]);
}

/** Every graph input for one run: the rows stacked per the manifest's feature sections, plus one adapter's tensors. */
export function batchFeeds(m: ModelManifest, rows: readonly EncodedRow[], lora: LoraFeeds): Record<string, ort.Tensor> {
  const f = m.features;
  return {
    ...lora.tensors,
    [f.vitals.input]: stackFloat(rows, (r) => r.vitals),
    [f.text.inputs[0]]: stackInt64(rows, (r) => r.inputIds),
    [f.text.inputs[1]]: stackInt64(rows, (r) => r.attentionMask),
    [f.audio.input]: stackFloat(rows, (r) => r.audio),
    [f.image.input]: stackFloat(rows, (r) => r.image),
    [f.modalityMask.input]: stackFloat(rows, (r) => r.modalityMask),
  };
}

/**
 * One onnxruntime session for one model package. Requests go through a micro-batcher keyed by
 * their LoRA feeds; the session is never reloaded to change adapter.
 */
export class ModelRuntime {
  readonly zeroLora: LoraFeeds;
  private readonly batcher: MicroBatcher<LoraFeeds, EncodedRow, RowOutputs>;

  private constructor(
    readonly pkg: ModelPackage,
    private readonly opened: OpenedSession,
    batching: BatchingOptions,
  ) {
    this.zeroLora = baseModelFeeds(pkg.manifest);
    this.batcher = new MicroBatcher((lora, rows) => this.runBatch(rows, lora), batching);
  }

  /** Opens the session with provider fallback and refuses a graph that differs from the manifest. */
  static async open(pkg: ModelPackage, options: RuntimeOptions): Promise<ModelRuntime> {
    const opened = await openWithFallback(pkg.model, options);
    const issues = graphIssues(pkg.manifest, { inputs: opened.session.inputMetadata.map(asGraphTensor), outputs: opened.session.outputMetadata.map(asGraphTensor) });
    if (issues.length > 0) {
      await opened.session.release();
      throw new InferenceError('MODEL_CONTRACT_MISMATCH', 'The ONNX graph differs from its manifest', { issues });
    }
    return new ModelRuntime(pkg, opened, options.batching);
  }

  get provider(): OpenedSession['plan'] {
    return this.opened.plan;
  }

  get attempts(): OpenedSession['attempts'] {
    return this.opened.attempts;
  }

  get stats(): { requests: number; batches: number } {
    return this.batcher.stats;
  }

  submit(row: EncodedRow, lora: LoraFeeds): Promise<RowOutputs> {
    return this.batcher.submit(lora, row);
  }

  /** One run of `rows` with one adapter, bypassing the batcher (benchmarks, diagnostics, warm-up). */
  async runBatch(rows: readonly EncodedRow[], lora: LoraFeeds, extraOutputs: readonly string[] = []): Promise<RowOutputs[]> {
    const { labels } = this.pkg.manifest;
    const feeds = batchFeeds(this.pkg.manifest, rows, lora);
    const fetches = [labels.triage.output, labels.conditions.output, labels.confidence.output, ...extraOutputs];
    const out = await this.opened.session.run(feeds, fetches);
    const rowsOf = (name: string): Float32Array[] => {
      const data = out[name]?.data as Float32Array | undefined;
      if (!data) throw new InferenceError('MODEL_CONTRACT_MISMATCH', `The model returned no ${name}`);
      const width = data.length / rows.length;
      return rows.map((_, n) => data.slice(n * width, (n + 1) * width));
    };
    const [triage, conditions, confidence] = [rowsOf(labels.triage.output), rowsOf(labels.conditions.output), rowsOf(labels.confidence.output)];
    const extras = extraOutputs.map((name) => [name, rowsOf(name)] as const);
    return rows.map((_, n) => ({
      triageLogits: triage[n]!,
      conditionLogits: conditions[n]!,
      confidence: confidence[n]![0] ?? 0,
      extra: Object.fromEntries(extras.map(([name, values]) => [name, values[n]!])),
    }));
  }

  /** First runs allocate and (on TensorRT) build engines: done before the runtime reports ready. */
  async warmUp(row: EncodedRow, maxBatch: number): Promise<void> {
    for (const size of [1, 1, Math.max(1, maxBatch)]) await this.runBatch(Array.from({ length: size }, () => row), this.zeroLora);
  }

  /** Lets queued requests finish, then frees the session. */
  async close(logger: Logger): Promise<void> {
    await this.batcher.drained();
    await this.opened.session.release().catch((err: unknown) => logger.warn({ err }, 'inference session release failed'));
  }
}

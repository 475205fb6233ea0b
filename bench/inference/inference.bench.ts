/**
 * HEMA3N-core inference on this machine's CPU (onnxruntime-node, 1 intra-op thread):
 * batch-1 latency through the service (direct run vs micro-batcher with and without a window),
 * micro-batched throughput, session load time, adapter switching (feeding other LoRA tensors)
 * against reloading a session whose weights have the adapter merged in, and failed requests
 * while adapters are installed and removed under load.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import {
  batchFeeds, BUNDLED_ADAPTERS_DIR, BUNDLED_MODEL_DIR, DEV_FLEET_PUBLIC_KEY_FILE, encodeRow, InferenceService,
  type BatchingOptions, type InferInput, type PreparedAdapter,
} from '../../edge/src/inference/index.js';
import { createLogger } from '../../edge/src/observability/index.js';
import { synthesiseCases, VITAL_FEATURES } from '../../models/build/index.js';
import { initializers, replaceInitializers } from '../../lora-adapters/build/onnx-initializers.js';
import type { BenchResult } from '../run.js';
import { median, percentile } from '../stats.js';

ort.env.logLevel = 'fatal';

const BATCH1_REQUESTS = 3000;
const THROUGHPUT_REQUESTS = 20000;
const IN_FLIGHT = 64;
const RELOADS = 7;
const CHURN_ROUNDS = 25;

const round = (x: number, digits = 3): number => Math.round(x * 10 ** digits) / 10 ** digits;

/** Synthetic pre-hospital cases as `infer` input (vitals in the `score` field names, complaint text). */
function benchInputs(count: number): InferInput[] {
  return synthesiseCases(4242, count).map((c) => {
    const vitals = Object.fromEntries(VITAL_FEATURES.filter((f) => f.source.field !== 'gcs').map((f) => [f.source.field, c.vitals?.[f.name]]));
    const input = { ...vitals, onOxygen: vitals.onOxygen === undefined ? undefined : vitals.onOxygen === 1, complaint: c.text ?? undefined };
    return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as InferInput;
  });
}

async function openBenchService(stateDir: string, batching: Partial<BatchingOptions> = {}): Promise<InferenceService> {
  return InferenceService.open({
    modelDir: BUNDLED_MODEL_DIR, adaptersDir: join(stateDir, 'adapters'), bundledAdaptersDir: BUNDLED_ADAPTERS_DIR,
    fleetPublicKey: readFileSync(DEV_FLEET_PUBLIC_KEY_FILE, 'utf8'), stateDir, logger: createLogger({ level: 'silent' }), batching,
  });
}

async function batch1Latencies(run: (input: InferInput) => Promise<unknown>, inputs: readonly InferInput[]): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < BATCH1_REQUESTS; i++) {
    const t0 = performance.now();
    await run(inputs[i % inputs.length]!);
    times.push(performance.now() - t0);
  }
  return times;
}

const summary = (times: readonly number[]): { p50: number; p99: number } => ({ p50: round(median(times)), p99: round(percentile(times, 99)) });

/** Requests per second with IN_FLIGHT concurrent clients. */
async function throughput(service: InferenceService, inputs: readonly InferInput[], specialties: readonly (string | undefined)[]): Promise<{ perSecond: number; meanBatch: number }> {
  const before = service.runtime.stats;
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
    while (next < THROUGHPUT_REQUESTS) {
      const i = next++;
      await service.infer({ ...inputs[i % inputs.length]!, specialty: specialties[i % specialties.length] });
    }
  }));
  const seconds = (performance.now() - t0) / 1000;
  const after = service.runtime.stats;
  return { perSecond: Math.round(THROUGHPUT_REQUESTS / seconds), meanBatch: round((after.requests - before.requests) / (after.batches - before.batches), 1) };
}

/** The INT8 model with the adapter folded into condition_hidden's weights, requantised per output channel. */
function mergedModel(model: Uint8Array, adapter: PreparedAdapter): Uint8Array {
  const all = initializers(model);
  const q = all.get('condition_hidden.weight_quantized')!;
  const scales = all.get('condition_hidden.weight_scale')!.data as Float32Array;
  const [inputs, outputs] = q.dims as [number, number];
  const { A, B, rank } = adapter.layers.get('condition_hidden')!;
  const merged = new Float64Array(inputs * outputs);
  for (let i = 0; i < inputs; i++) {
    for (let o = 0; o < outputs; o++) {
      let delta = 0;
      for (let k = 0; k < rank; k++) delta += A[i * rank + k]! * B[k * outputs + o]!;
      merged[i * outputs + o] = q.data[i * outputs + o]! * scales[o]! + adapter.scale * delta;
    }
  }
  const newScales = Float32Array.from({ length: outputs }, (_, o) => Math.max(...Array.from({ length: inputs }, (_, i) => Math.abs(merged[i * outputs + o]!))) / 127);
  const values = Int8Array.from(merged, (w, k) => Math.max(-127, Math.min(127, Math.round(w / newScales[k % outputs]!))));
  return replaceInitializers(model, new Map<string, Float32Array | Int8Array>([['condition_hidden.weight_quantized', values], ['condition_hidden.weight_scale', newScales]]));
}

async function switchingVersusReload(service: InferenceService, inputs: readonly InferInput[]): Promise<Record<string, number>> {
  const runtime = service.runtime;
  const rows = inputs.slice(0, 256).map((input) => encodeRow(runtime.pkg, { vitals: input as Record<string, unknown>, text: input.complaint ?? null }));
  const specialties = service.adapters.list().map((a) => a.specialty);
  // Switching = resolving another specialty's prepared tensors and running with them.
  const resolveTimes: number[] = [];
  for (let i = 0; i < 20000; i++) {
    const t0 = performance.now();
    service.adapters.resolve(specialties[i % specialties.length]!);
    resolveTimes.push(performance.now() - t0);
  }
  const runTimes = async (pick: (i: number) => string): Promise<number[]> => {
    const times: number[] = [];
    for (let i = 0; i < BATCH1_REQUESTS; i++) {
      const t0 = performance.now();
      await runtime.runBatch([rows[i % rows.length]!], service.adapters.resolve(pick(i)).feeds);
      times.push(performance.now() - t0);
    }
    return times;
  };
  const same = median(await runTimes(() => 'cardiology'));
  const alternating = median(await runTimes((i) => specialties[i % specialties.length]!));
  const switchMs = Math.max(0, alternating - same) + median(resolveTimes);

  const adapter = service.adapters.resolve('cardiology');
  const merged = mergedModel(runtime.pkg.model, adapter);
  const reloads: number[] = [];
  let maxLogitDifference = 0;
  for (let r = 0; r < RELOADS; r++) {
    const t0 = performance.now();
    const session = await ort.InferenceSession.create(merged, { intraOpNumThreads: 1, interOpNumThreads: 1, executionProviders: ['cpu'] });
    const out = await session.run(batchFeeds(runtime.pkg.manifest, [rows[0]!], runtime.zeroLora));
    reloads.push(performance.now() - t0);
    if (r === 0) {
      const [viaInputs] = await runtime.runBatch([rows[0]!], adapter.feeds);
      const logits = out.condition_logits!.data as Float32Array;
      maxLogitDifference = Math.max(...Array.from(logits, (v, k) => Math.abs(v - viaInputs!.conditionLogits[k]!)));
    }
    await session.release();
  }
  const reloadMs = median(reloads);
  return {
    resolveAdapterUs: round(median(resolveTimes) * 1000, 2),
    runSameAdapterP50Ms: round(same, 4),
    runAlternatingAdaptersP50Ms: round(alternating, 4),
    switchCostMs: round(switchMs, 5),
    mergedReloadMs: round(reloadMs),
    reloadOverSwitch: Math.round(reloadMs / switchMs),
    mergedVsInputsMaxLogitDifference: round(maxLogitDifference, 4),
  };
}

async function loadTimes(stateDir: string): Promise<{ sessionCreateMs: number; serviceOpenMs: number }> {
  const model = readFileSync(join(BUNDLED_MODEL_DIR, 'model.onnx'));
  const creates: number[] = [];
  const opens: number[] = [];
  for (let r = 0; r < RELOADS; r++) {
    let t0 = performance.now();
    const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1, interOpNumThreads: 1, executionProviders: ['cpu'] });
    creates.push(performance.now() - t0);
    await session.release();
    t0 = performance.now();
    const service = await openBenchService(stateDir);
    opens.push(performance.now() - t0);
    await service.close();
  }
  return { sessionCreateMs: round(median(creates)), serviceOpenMs: round(median(opens)) };
}

/** Clients keep sending while adapters are installed and removed; every failure counts. */
async function churn(service: InferenceService, inputs: readonly InferInput[], scratch: string): Promise<{ requests: number; failed: number; p99Ms: number; swaps: number }> {
  const packages = ['cardiology', 'neurology'].map((s) => {
    const dir = join(scratch, `${s}-copy`);
    cpSync(join(BUNDLED_ADAPTERS_DIR, s), dir, { recursive: true });
    return dir;
  });
  let running = true;
  let failed = 0;
  const times: number[] = [];
  const client = async (offset: number): Promise<void> => {
    for (let i = offset; running; i += 7) {
      const t0 = performance.now();
      try {
        await service.infer({ ...inputs[i % inputs.length]!, specialty: ['cardiology', 'neurology', undefined][i % 3] });
        times.push(performance.now() - t0);
      } catch {
        failed++;
      }
    }
  };
  let swaps = 0;
  const changes = async (): Promise<void> => {
    for (let round = 0; round < CHURN_ROUNDS; round++) {
      for (const dir of packages) {
        await service.adapters.install(dir);
        swaps++;
      }
      for (const specialty of ['cardiology', 'neurology']) {
        await service.adapters.remove(specialty);
        swaps++;
      }
    }
    running = false;
  };
  await Promise.all([changes(), ...Array.from({ length: 8 }, (_, k) => client(k))]);
  return { requests: times.length + failed, failed, p99Ms: round(percentile(times, 99)), swaps };
}

export async function runInferenceBench(): Promise<BenchResult> {
  const scratch = mkdtempSync(join(tmpdir(), 'hema3n-bench-inference-'));
  try {
    const inputs = benchInputs(2000);
    const load = await loadTimes(join(scratch, 'load'));
    const opportunistic = await openBenchService(join(scratch, 'a'));
    const windowed = await openBenchService(join(scratch, 'b'), { windowMs: 1 });
    const unbatched = await openBenchService(join(scratch, 'c'), { maxBatch: 1 });
    // Direct: encode and run without the batcher, the floor for batch-1 latency.
    const direct = async (input: InferInput): Promise<unknown> => {
      const row = encodeRow(opportunistic.runtime.pkg, { vitals: input as Record<string, unknown>, text: input.complaint ?? null });
      return opportunistic.runtime.runBatch([row], opportunistic.runtime.zeroLora);
    };
    await batch1Latencies((i) => opportunistic.infer(i), inputs);
    const latency = {
      directRun: summary(await batch1Latencies(direct, inputs)),
      batcherNoWindow: summary(await batch1Latencies((i) => opportunistic.infer(i), inputs)),
      batcherWindow1ms: summary(await batch1Latencies((i) => windowed.infer(i), inputs)),
      batcherNoWindowWithAdapter: summary(await batch1Latencies((i) => opportunistic.infer({ ...i, specialty: 'cardiology' }), inputs)),
    };
    const mixed = [undefined, 'cardiology', 'neurology', 'pulmonology'];
    const throughputFigures = {
      batchedOneAdapter: await throughput(opportunistic, inputs, ['cardiology']),
      batchedFourAdapters: await throughput(opportunistic, inputs, mixed),
      unbatchedOneAdapter: await throughput(unbatched, inputs, ['cardiology']),
    };
    const switching = await switchingVersusReload(opportunistic, inputs);
    const churnFigures = await churn(opportunistic, inputs, scratch);
    await Promise.all([opportunistic.close(), windowed.close(), unbatched.close()]);
    const p99 = latency.batcherNoWindow.p99;
    return {
      name: 'inference',
      figures: {
        workload: `synthetic cases, ${BATCH1_REQUESTS} sequential requests per latency figure, ${THROUGHPUT_REQUESTS} requests from ${IN_FLIGHT} concurrent clients per throughput figure`,
        provider: opportunistic.runtime.provider,
        load,
        batch1LatencyMs: latency,
        throughputPerSecond: throughputFigures,
        adapterSwitching: switching,
        adapterChurnUnderLoad: churnFigures,
      },
      targets: {
        batch1P99: { target: '<= 20 ms at batch 1 (service, adapters, rule floor included)', met: p99 <= 20 },
        switchingVersusReload: { target: 'adapter switch >= 1000x cheaper than reloading a merged-weights session', met: switching.reloadOverSwitch! >= 1000 },
        churnFailures: { target: '0 failed requests while adapters are installed and removed', met: churnFigures.failed === 0 },
      },
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

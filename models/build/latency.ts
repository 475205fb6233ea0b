/** Batch-1 latency of the INT8 model in onnxruntime (report only; never a pass/fail criterion). */
import type { InferenceSession } from 'onnxruntime-node';
import { type ModelInputs, sliceInputs } from './model-inputs.js';
import { feeds } from './onnx-runner.js';

export interface Latency { readonly runs: number; readonly p50: number; readonly p99: number; readonly threads: number }

export async function measureLatency(session: InferenceSession, inputs: ModelInputs, runs = 1000): Promise<Latency> {
  const rows = Array.from({ length: 50 }, (_, k) => feeds(sliceInputs(inputs, k, k + 1)));
  for (const f of rows) await session.run(f);
  const times: number[] = [];
  for (let k = 0; k < runs; k++) {
    const t0 = performance.now();
    await session.run(rows[k % rows.length] ?? {});
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const at = (q: number): number => Math.round((times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0) * 1000) / 1000;
  return { runs, p50: at(0.5), p99: at(0.99), threads: 1 };
}

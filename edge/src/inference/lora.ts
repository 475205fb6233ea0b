import * as ort from 'onnxruntime-node';
import type { LoraTarget, ModelManifest } from './manifest.js';

/** One layer's adapter in graph layout at its own rank r: A [in, r] and B [r, out], row-major. */
export interface LoraMatrices {
  readonly A: Float32Array;
  readonly B: Float32Array;
  readonly rank: number;
}

/** Every LoRA graph input, ready to feed: built once per adapter, shared by every run that uses it. */
export interface LoraFeeds {
  readonly tensors: Readonly<Record<string, ort.Tensor>>;
}

/** Zero-pads A [in, r] to [in, R] and B [r, out] to [R, out]: the graph rank R never changes, so no engine is rebuilt. */
function padded(target: LoraTarget, graphRank: number, layer: LoraMatrices | undefined): { A: Float32Array; B: Float32Array } {
  const A = new Float32Array(target.in * graphRank);
  const B = new Float32Array(graphRank * target.out);
  if (layer) {
    for (let i = 0; i < target.in; i++) A.set(layer.A.subarray(i * layer.rank, (i + 1) * layer.rank), i * graphRank);
    B.set(layer.B.subarray(0, layer.rank * target.out));
  }
  return { A, B };
}

/** Feeds for an adapter; layers it does not adapt get zero matrices, which leave them exactly as the base model. */
export function loraFeeds(m: ModelManifest, layers: ReadonlyMap<string, LoraMatrices>, scale: number): LoraFeeds {
  const R = m.lora.rank;
  const tensors: Record<string, ort.Tensor> = { [m.lora.scaleInput]: new ort.Tensor('float32', Float32Array.of(scale), [1]) };
  for (const target of m.lora.targets) {
    const { A, B } = padded(target, R, layers.get(target.layer));
    tensors[target.inputs.A.name] = new ort.Tensor('float32', A, [target.in, R]);
    tensors[target.inputs.B.name] = new ort.Tensor('float32', B, [R, target.out]);
  }
  return { tensors };
}

export const baseModelFeeds = (m: ModelManifest): LoraFeeds => loraFeeds(m, new Map(), 0);

/** Row-major transpose of a [rows, cols] matrix. */
export function transpose(values: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c]!;
  return out;
}

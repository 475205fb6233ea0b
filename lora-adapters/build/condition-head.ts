/**
 * The reference model's condition head in TypeScript, read from the INT8 QDQ graph:
 *   hidden = ReLU(DQ(Q(fusion)) DQ(W_h) + b_h + scale * (fusion A) B)
 *   logits = DQ(Q(hidden)) DQ(W_o) + b_o
 * The LoRA branch reads the float fusion features, as in the graph. Used to train the specialty
 * adapters and, in the tests, as the reference the runtime's LoRA results are checked against.
 */
import { initializers, type InitializerData } from './onnx-initializers.js';

interface QuantizedLinear {
  readonly inputs: number;
  readonly outputs: number;
  /** Dequantized weight [inputs, outputs], row-major. */
  readonly weight: Float64Array;
  readonly bias: Float64Array;
  /** The QuantizeLinear in front of the MatMul (uint8, per tensor). */
  readonly input: { readonly scale: number; readonly zeroPoint: number };
}

export interface ConditionHead {
  readonly hidden: QuantizedLinear;
  readonly out: QuantizedLinear;
}

/** A LoRA adapter of condition_hidden in graph layout: A [64, r], B [r, 32]. */
export interface HeadAdapter {
  readonly A: Float32Array;
  readonly B: Float32Array;
  readonly rank: number;
  readonly scale: number;
}

function quantizedLinear(all: Map<string, { dims: number[]; data: InitializerData }>, layer: string, activation: string): QuantizedLinear {
  const get = (name: string): { dims: number[]; data: InitializerData } => {
    const t = all.get(name);
    if (!t) throw new Error(`model has no initializer ${name}`);
    return t;
  };
  const q = get(`${layer}.weight_quantized`);
  const scales = get(`${layer}.weight_scale`).data;
  const [inputs, outputs] = q.dims as [number, number];
  const weight = Float64Array.from(q.data, (v, k) => v * (scales[k % outputs] ?? 0));
  return {
    inputs, outputs, weight,
    bias: Float64Array.from(get(`${layer}.bias`).data),
    input: { scale: get(`${activation}.act_scale`).data[0] ?? 1, zeroPoint: get(`${activation}.act_zero_point`).data[0] ?? 0 },
  };
}

export const readConditionHead = (model: Uint8Array): ConditionHead => {
  const all = initializers(model);
  return { hidden: quantizedLinear(all, 'condition_hidden', 'fusion'), out: quantizedLinear(all, 'condition_out', 'condition_hidden') };
};

/** ONNX QuantizeLinear then DequantizeLinear: uint8, round half to even, saturate. */
export function fakeQuantize(x: number, scale: number, zeroPoint: number): number {
  const v = Math.fround(x / scale);
  const floor = Math.floor(v);
  const diff = v - floor;
  const rounded = diff > 0.5 || (diff === 0.5 && floor % 2 !== 0) ? floor + 1 : floor;
  return (Math.min(255, Math.max(0, rounded + zeroPoint)) - zeroPoint) * scale;
}

export function applyLinear(layer: QuantizedLinear, x: ArrayLike<number>): Float64Array {
  const y = Float64Array.from(layer.bias);
  for (let i = 0; i < layer.inputs; i++) {
    const xq = fakeQuantize(x[i] ?? 0, layer.input.scale, layer.input.zeroPoint);
    if (xq === 0) continue;
    for (let o = 0; o < layer.outputs; o++) y[o] = (y[o] ?? 0) + xq * (layer.weight[i * layer.outputs + o] ?? 0);
  }
  return y;
}

/** scale * (x A) B for one row: the LoRA delta before the activation. */
export function loraDelta(x: ArrayLike<number>, adapter: HeadAdapter, outputs: number): Float64Array {
  const down = new Float64Array(adapter.rank);
  for (let i = 0; i < x.length; i++) for (let k = 0; k < adapter.rank; k++) down[k] = (down[k] ?? 0) + (x[i] ?? 0) * (adapter.A[i * adapter.rank + k] ?? 0);
  const delta = new Float64Array(outputs);
  for (let k = 0; k < adapter.rank; k++) for (let o = 0; o < outputs; o++) delta[o] = (delta[o] ?? 0) + adapter.scale * (down[k] ?? 0) * (adapter.B[k * outputs + o] ?? 0);
  return delta;
}

/** Condition logits for one row of fusion features, with or without an adapter. */
export function conditionLogits(head: ConditionHead, fusion: ArrayLike<number>, adapter: HeadAdapter | null = null): Float64Array {
  const hidden = applyLinear(head.hidden, fusion);
  const delta = adapter ? loraDelta(fusion, adapter, head.hidden.outputs) : null;
  for (let o = 0; o < hidden.length; o++) hidden[o] = Math.max(0, (hidden[o] ?? 0) + (delta?.[o] ?? 0));
  return applyLinear(head.out, hidden);
}

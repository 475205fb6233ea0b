/**
 * Fine-tunes a LoRA adapter of the condition head's hidden layer (condition_hidden) with the base
 * model frozen. The loss is the condition cross-entropy over synthetic cases of every specialty,
 * with the adapter's own specialty weighted up: the adapter learns to shift probability towards
 * its specialty's conditions where the evidence is ambiguous, while still having to get the other
 * cases right. Triage and confidence read the fusion layer, which this adapter leaves untouched,
 * so a specialty adapter re-ranks conditions and never changes the model's ESI level.
 */
import { createRandom } from '../../models/build/index.js';
import { applyLinear, type ConditionHead, type HeadAdapter, loraDelta } from './condition-head.js';

export interface TrainingSet {
  /** Fusion features (the condition head's input), [N, 64]. */
  readonly fusion: Float32Array;
  readonly labels: Int32Array;
}

export interface AdapterTraining {
  readonly rank: number;
  readonly alpha: number;
  /** Condition indices of the specialty. */
  readonly conditions: ReadonlySet<number>;
  /** Loss weight of the specialty's cases relative to the others'. */
  readonly specialtyWeight: number;
  readonly steps: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly seed: number;
}

class Adam {
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  private t = 0;
  constructor(private readonly values: Float32Array) {
    this.m = new Float64Array(values.length);
    this.v = new Float64Array(values.length);
  }

  step(grad: Float64Array, rate: number): void {
    this.t++;
    const [b1, b2] = [0.9, 0.999];
    for (let k = 0; k < grad.length; k++) {
      this.m[k] = b1 * this.m[k]! + (1 - b1) * grad[k]!;
      this.v[k] = b2 * this.v[k]! + (1 - b2) * grad[k]! ** 2;
      this.values[k] = this.values[k]! - (rate * (this.m[k]! / (1 - b1 ** this.t))) / (Math.sqrt(this.v[k]! / (1 - b2 ** this.t)) + 1e-8);
    }
  }
}

function softmaxInPlace(x: Float64Array): Float64Array {
  const max = Math.max(...x);
  let sum = 0;
  for (let k = 0; k < x.length; k++) sum += x[k] = Math.exp(x[k]! - max);
  for (let k = 0; k < x.length; k++) x[k] = x[k]! / sum;
  return x;
}

/** Accumulates dA, dB for one case; the fake quantisation before condition_out passes gradient straight through. */
function accumulate(head: ConditionHead, adapter: HeadAdapter, f: Float32Array, label: number, weight: number, grads: { A: Float64Array; B: Float64Array }): void {
  const { rank, scale } = adapter;
  const hiddenSize = head.hidden.outputs;
  const z = applyLinear(head.hidden, f);
  const delta = loraDelta(f, adapter, hiddenSize);
  const h = z.map((v, o) => Math.max(0, v + delta[o]!));
  const p = softmaxInPlace(applyLinear(head.out, h));
  const conditions = head.out.outputs;
  const dh = new Float64Array(hiddenSize);
  for (let o = 0; o < hiddenSize; o++) {
    if (h[o]! <= 0) continue;
    for (let c = 0; c < conditions; c++) dh[o] = dh[o]! + weight * (p[c]! - (c === label ? 1 : 0)) * head.out.weight[o * conditions + c]!;
  }
  const down = new Float64Array(rank);
  for (let i = 0; i < f.length; i++) for (let k = 0; k < rank; k++) down[k] = down[k]! + f[i]! * adapter.A[i * rank + k]!;
  for (let k = 0; k < rank; k++) {
    let dDown = 0;
    for (let o = 0; o < hiddenSize; o++) {
      grads.B[k * hiddenSize + o] = grads.B[k * hiddenSize + o]! + scale * down[k]! * dh[o]!;
      dDown += scale * dh[o]! * adapter.B[k * hiddenSize + o]!;
    }
    for (let i = 0; i < f.length; i++) grads.A[i * rank + k] = grads.A[i * rank + k]! + f[i]! * dDown;
  }
}

export function trainHeadAdapter(head: ConditionHead, set: TrainingSet, options: AdapterTraining): HeadAdapter {
  const random = createRandom(options.seed);
  const inputs = head.hidden.inputs;
  // PEFT's initialisation: A random, B zero, so training starts from exactly the base model.
  const adapter: HeadAdapter = {
    A: Float32Array.from({ length: inputs * options.rank }, () => random.normal() / Math.sqrt(inputs)),
    B: new Float32Array(options.rank * head.hidden.outputs),
    rank: options.rank,
    scale: options.alpha / options.rank,
  };
  const [adamA, adamB] = [new Adam(adapter.A), new Adam(adapter.B)];
  const cases = set.labels.length;
  for (let step = 0; step < options.steps; step++) {
    const grads = { A: new Float64Array(adapter.A.length), B: new Float64Array(adapter.B.length) };
    let total = 0;
    for (let n = 0; n < options.batchSize; n++) {
      const row = random.int(cases);
      const label = set.labels[row]!;
      const weight = options.conditions.has(label) ? options.specialtyWeight : 1;
      total += weight;
      accumulate(head, adapter, set.fusion.subarray(row * inputs, (row + 1) * inputs), label, weight, grads);
    }
    grads.A.forEach((g, k) => (grads.A[k] = g / total));
    grads.B.forEach((g, k) => (grads.B[k] = g / total));
    const rate = options.learningRate * (0.1 + 0.9 * 0.5 * (1 + Math.cos((Math.PI * step) / options.steps)));
    adamA.step(grads.A, rate);
    adamB.step(grads.B, rate);
  }
  return adapter;
}

/**
 * Backpropagation and AdamW for the network in network.ts. Losses: cross-entropy on ESI and on
 * the condition, plus a binary cross-entropy that teaches the confidence head whether the current
 * top-1 condition is right (its gradient stops at the fused features so it cannot bend them).
 */
import { CONDITION_COUNT } from './conditions.js';
import { type ModelInputs, gatherInputs } from './model-inputs.js';
import { ARCHITECTURE, type Activations, type Dense, type Network, TRIAGE_CLASSES, argmaxRows, denseLayers, forward } from './network.js';
import type { Random } from './prng.js';

export interface TrainingOptions {
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly weightDecay: number;
  readonly confidenceWeight: number;
}

export interface Targets {
  /** ESI - 1 per row. */
  readonly triage: Int32Array;
  readonly condition: Int32Array;
}

export interface EpochLog { readonly epoch: number; readonly loss: number }

interface Slot { readonly value: Float64Array; readonly grad: Float64Array; readonly m: Float64Array; readonly v: Float64Array; readonly decay: boolean }

const slot = (value: Float64Array, decay: boolean): Slot => ({
  value, grad: new Float64Array(value.length), m: new Float64Array(value.length), v: new Float64Array(value.length), decay,
});

class AdamW {
  private step = 0;
  constructor(readonly slots: readonly Slot[], private readonly weightDecay: number) {}

  zeroGrad(): void {
    for (const s of this.slots) s.grad.fill(0);
  }

  update(learningRate: number): void {
    this.step++;
    const [b1, b2, eps] = [0.9, 0.999, 1e-8];
    const c1 = 1 - b1 ** this.step;
    const c2 = 1 - b2 ** this.step;
    for (const s of this.slots) {
      for (let k = 0; k < s.value.length; k++) {
        const g = s.grad[k] ?? 0;
        const m = b1 * (s.m[k] ?? 0) + (1 - b1) * g;
        const v = b2 * (s.v[k] ?? 0) + (1 - b2) * g * g;
        s.m[k] = m;
        s.v[k] = v;
        const decay = s.decay ? this.weightDecay * (s.value[k] ?? 0) : 0;
        s.value[k] = (s.value[k] ?? 0) - learningRate * ((m / c1) / (Math.sqrt(v / c2) + eps) + decay);
      }
    }
  }
}

/** Accumulates dW, db and returns dx (or null) for y = x W + b. */
function denseBackward(layer: Dense, grads: { w: Slot; b: Slot }, x: Float64Array, dy: Float64Array, rows: number, needDx: boolean): Float64Array | null {
  const { inputs, outputs, weight } = layer;
  const dx = needDx ? new Float64Array(rows * inputs) : null;
  for (let n = 0; n < rows; n++) {
    const yo = n * outputs;
    for (let o = 0; o < outputs; o++) grads.b.grad[o] = (grads.b.grad[o] ?? 0) + (dy[yo + o] ?? 0);
    for (let i = 0; i < inputs; i++) {
      const xi = x[n * inputs + i] ?? 0;
      const wo = i * outputs;
      let acc = 0;
      for (let o = 0; o < outputs; o++) {
        const d = dy[yo + o] ?? 0;
        if (xi !== 0) grads.w.grad[wo + o] = (grads.w.grad[wo + o] ?? 0) + xi * d;
        acc += d * (weight[wo + o] ?? 0);
      }
      if (dx) dx[n * inputs + i] = acc;
    }
  }
  return dx;
}

/** ReLU (and the modality gate, whose zeroed outputs look like inactive units) lets gradient through where the output is > 0. */
function throughRelu(d: Float64Array, y: Float64Array): Float64Array {
  for (let k = 0; k < d.length; k++) if ((y[k] ?? 0) <= 0) d[k] = 0;
  return d;
}

/** Softmax cross-entropy: writes (p - onehot) / rows into a new gradient and returns the summed loss. */
function softmaxCrossEntropy(logits: Float64Array, width: number, labels: Int32Array, rows: number): { loss: number; grad: Float64Array } {
  const grad = new Float64Array(logits.length);
  let loss = 0;
  for (let n = 0; n < rows; n++) {
    let max = -Infinity;
    for (let k = 0; k < width; k++) max = Math.max(max, logits[n * width + k] ?? 0);
    let sum = 0;
    for (let k = 0; k < width; k++) sum += Math.exp((logits[n * width + k] ?? 0) - max);
    const label = labels[n] ?? 0;
    for (let k = 0; k < width; k++) {
      const p = Math.exp((logits[n * width + k] ?? 0) - max) / sum;
      grad[n * width + k] = (p - (k === label ? 1 : 0)) / rows;
      if (k === label) loss -= Math.log(Math.max(p, 1e-12));
    }
  }
  return { loss, grad };
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

interface Trainer { readonly optimiser: AdamW; readonly grads: Map<Dense, { w: Slot; b: Slot }>; readonly embedding: Slot }

function createTrainer(net: Network, weightDecay: number): Trainer {
  const grads = new Map(denseLayers(net).map((l) => [l, { w: slot(l.weight, true), b: slot(l.bias, false) }] as const));
  const embedding = slot(net.embedding, true);
  const slots = [...[...grads.values()].flatMap((g) => [g.w, g.b]), embedding];
  return { optimiser: new AdamW(slots, weightDecay), grads, embedding };
}

function backward(net: Network, trainer: Trainer, batch: ModelInputs, act: Activations, targets: Targets, options: TrainingOptions): number {
  const rows = act.rows;
  const g = (l: Dense): { w: Slot; b: Slot } => trainer.grads.get(l) ?? (() => { throw new Error(`no slot for ${l.name}`); })();
  const triage = softmaxCrossEntropy(act.triageLogits, TRIAGE_CLASSES, targets.triage, rows);
  const condition = softmaxCrossEntropy(act.conditionLogits, CONDITION_COUNT, targets.condition, rows);
  const predicted = argmaxRows(act.conditionLogits, CONDITION_COUNT);
  const dConfidence = new Float64Array(rows);
  let confidenceLoss = 0;
  for (let n = 0; n < rows; n++) {
    const target = predicted[n] === targets.condition[n] ? 1 : 0;
    const p = sigmoid(act.confidenceLogit[n] ?? 0);
    confidenceLoss -= target * Math.log(Math.max(p, 1e-12)) + (1 - target) * Math.log(Math.max(1 - p, 1e-12));
    dConfidence[n] = (options.confidenceWeight * (p - target)) / rows;
  }
  denseBackward(net.confidence, g(net.confidence), act.fusion, dConfidence, rows, false);

  const dFusion = denseBackward(net.triage, g(net.triage), act.fusion, triage.grad, rows, true) ?? new Float64Array(0);
  const dHidden = throughRelu(denseBackward(net.conditionOut, g(net.conditionOut), act.conditionHidden, condition.grad, rows, true) ?? new Float64Array(0), act.conditionHidden);
  const dFromCondition = denseBackward(net.conditionHidden, g(net.conditionHidden), act.fusion, dHidden, rows, true) ?? new Float64Array(0);
  for (let k = 0; k < dFusion.length; k++) dFusion[k] = (dFusion[k] ?? 0) + (dFromCondition[k] ?? 0);
  throughRelu(dFusion, act.fusion);
  const dFusionIn = denseBackward(net.fusion, g(net.fusion), act.fusionIn, dFusion, rows, true) ?? new Float64Array(0);
  backwardBranches(net, trainer, batch, act, dFusionIn, g);
  return (triage.loss + condition.loss + options.confidenceWeight * confidenceLoss) / rows;
}

function backwardBranches(net: Network, trainer: Trainer, batch: ModelInputs, act: Activations, dFusionIn: Float64Array, g: (l: Dense) => { w: Slot; b: Slot }): void {
  const a = ARCHITECTURE;
  const rows = act.rows;
  const widths = [a.vitalsHidden, a.textHidden, a.audioHidden, a.imageHidden];
  const total = widths.reduce((x, y) => x + y, 0);
  const split = widths.map((w, b) => {
    const offset = widths.slice(0, b).reduce((x, y) => x + y, 0);
    const d = new Float64Array(rows * w);
    for (let n = 0; n < rows; n++) d.set(dFusionIn.subarray(n * total + offset, n * total + offset + w), n * w);
    return d;
  });
  const [dVitals, dText, dAudio, dImage] = split as [Float64Array, Float64Array, Float64Array, Float64Array];
  const dV1 = throughRelu(denseBackward(net.vitals2, g(net.vitals2), act.vitals1, throughRelu(dVitals, act.vitals2), rows, true) ?? new Float64Array(0), act.vitals1);
  denseBackward(net.vitals1, g(net.vitals1), act.vitalsIn, dV1, rows, false);
  denseBackward(net.audio, g(net.audio), act.audioIn, throughRelu(dAudio, act.audio), rows, false);
  denseBackward(net.image, g(net.image), act.imageIn, throughRelu(dImage, act.image), rows, false);
  const dPooled = denseBackward(net.text, g(net.text), act.pooled, throughRelu(dText, act.text), rows, true) ?? new Float64Array(0);
  embeddingBackward(trainer.embedding, batch, act.tokenCounts, dPooled);
}

function embeddingBackward(embedding: Slot, batch: ModelInputs, tokenCounts: Float64Array, dPooled: Float64Array): void {
  const e = ARCHITECTURE.textEmbedding;
  const t = batch.seqLength;
  for (let n = 0; n < batch.batch; n++) {
    const scale = 1 / (tokenCounts[n] ?? 1);
    for (let k = 0; k < t; k++) {
      if (batch.attentionMask[n * t + k] === 0) continue;
      const row = (batch.inputIds[n * t + k] ?? 0) * e;
      for (let j = 0; j < e; j++) embedding.grad[row + j] = (embedding.grad[row + j] ?? 0) + (dPooled[n * e + j] ?? 0) * scale;
    }
  }
}

function shuffled(random: Random, count: number): number[] {
  const order = Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [order[i], order[j]] = [order[j] ?? 0, order[i] ?? 0];
  }
  return order;
}

export function trainNetwork(net: Network, inputs: ModelInputs, targets: Targets, options: TrainingOptions, random: Random): EpochLog[] {
  const trainer = createTrainer(net, options.weightDecay);
  const stepsPerEpoch = Math.ceil(inputs.batch / options.batchSize);
  const totalSteps = options.epochs * stepsPerEpoch;
  const log: EpochLog[] = [];
  let step = 0;
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    const order = shuffled(random, inputs.batch);
    let loss = 0;
    for (let start = 0; start < order.length; start += options.batchSize) {
      const rows = order.slice(start, start + options.batchSize);
      const batch = gatherInputs(inputs, rows);
      const batchTargets = { triage: Int32Array.from(rows, (r) => targets.triage[r] ?? 0), condition: Int32Array.from(rows, (r) => targets.condition[r] ?? 0) };
      trainer.optimiser.zeroGrad();
      loss += backward(net, trainer, batch, forward(net, batch), batchTargets, options) * rows.length;
      // Cosine decay to 5% of the initial rate: large steps early, fine settling at the end.
      const progress = step / totalSteps;
      trainer.optimiser.update(options.learningRate * (0.05 + 0.95 * 0.5 * (1 + Math.cos(Math.PI * progress))));
      step++;
    }
    log.push({ epoch, loss: loss / inputs.batch });
  }
  return log;
}

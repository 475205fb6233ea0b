/**
 * The HEMA3N-core network in plain TypeScript (float64) for training and as the reference the
 * ONNX graph is checked against. Layer names are the ONNX initializer prefixes and the LoRA
 * target names.
 */
import { CONDITION_COUNT, ESI_LEVELS } from './conditions.js';
import { AUDIO_SIZE, IMAGE_SIZE } from './modality-features.js';
import { MODALITIES, type ModelInputs } from './model-inputs.js';
import type { Random } from './prng.js';
import { VITALS_SIZE } from './vitals-features.js';

export const ARCHITECTURE = {
  vitalsHidden: 32,
  textEmbedding: 32,
  textHidden: 32,
  audioHidden: 16,
  imageHidden: 16,
  fusion: 64,
  conditionHidden: 32,
} as const;

export const FUSION_INPUT = ARCHITECTURE.vitalsHidden + ARCHITECTURE.textHidden + ARCHITECTURE.audioHidden + ARCHITECTURE.imageHidden;
export const TRIAGE_CLASSES = ESI_LEVELS.length;

export interface Dense {
  readonly name: string;
  readonly inputs: number;
  readonly outputs: number;
  /** [inputs, outputs] row-major, so y = x W + b. */
  readonly weight: Float64Array;
  readonly bias: Float64Array;
}

export interface Network {
  readonly vitals1: Dense;
  readonly vitals2: Dense;
  /** [vocab, textEmbedding] row-major. */
  readonly embedding: Float64Array;
  readonly vocabSize: number;
  readonly text: Dense;
  readonly audio: Dense;
  readonly image: Dense;
  readonly fusion: Dense;
  readonly triage: Dense;
  readonly conditionHidden: Dense;
  readonly conditionOut: Dense;
  readonly confidence: Dense;
  /** Fixed standardisation of the pooled audio/image features, applied inside the graph. */
  readonly audioNorm: { readonly mean: Float64Array; readonly invStd: Float64Array };
  readonly imageNorm: { readonly mean: Float64Array; readonly invStd: Float64Array };
}

function dense(random: Random, name: string, inputs: number, outputs: number): Dense {
  const scale = Math.sqrt(2 / inputs);
  return {
    name, inputs, outputs,
    weight: Float64Array.from({ length: inputs * outputs }, () => random.normal() * scale),
    bias: new Float64Array(outputs),
  };
}

export function createNetwork(random: Random, vocabSize: number, norms: Pick<Network, 'audioNorm' | 'imageNorm'>): Network {
  const a = ARCHITECTURE;
  return {
    vitals1: dense(random, 'vitals_1', VITALS_SIZE, a.vitalsHidden),
    vitals2: dense(random, 'vitals_2', a.vitalsHidden, a.vitalsHidden),
    embedding: Float64Array.from({ length: vocabSize * a.textEmbedding }, () => random.normal() * 0.3),
    vocabSize,
    text: dense(random, 'text_proj', a.textEmbedding, a.textHidden),
    audio: dense(random, 'audio_proj', AUDIO_SIZE, a.audioHidden),
    image: dense(random, 'image_proj', IMAGE_SIZE, a.imageHidden),
    fusion: dense(random, 'fusion', FUSION_INPUT, a.fusion),
    triage: dense(random, 'triage_head', a.fusion, TRIAGE_CLASSES),
    conditionHidden: dense(random, 'condition_hidden', a.fusion, a.conditionHidden),
    conditionOut: dense(random, 'condition_out', a.conditionHidden, CONDITION_COUNT),
    confidence: dense(random, 'confidence_head', a.fusion, 1),
    ...norms,
  };
}

export const denseLayers = (net: Network): Dense[] => [
  net.vitals1, net.vitals2, net.text, net.audio, net.image, net.fusion, net.triage, net.conditionHidden, net.conditionOut, net.confidence,
];

/** Per-feature mean and 1/std over the present rows, so the audio/image branches see unit-scale inputs. */
export function featureStandardisation(values: Float32Array, mask: Float32Array, column: number, width: number): Network['audioNorm'] {
  const mean = new Float64Array(width);
  const sq = new Float64Array(width);
  let rows = 0;
  for (let n = 0; n * width < values.length; n++) {
    if (mask[n * MODALITIES.length + column] !== 1) continue;
    rows++;
    for (let i = 0; i < width; i++) {
      const x = values[n * width + i] ?? 0;
      mean[i] = (mean[i] ?? 0) + x;
      sq[i] = (sq[i] ?? 0) + x * x;
    }
  }
  const invStd = new Float64Array(width);
  for (let i = 0; i < width; i++) {
    const m = (mean[i] ?? 0) / Math.max(1, rows);
    mean[i] = Math.fround(m);
    invStd[i] = Math.fround(1 / Math.sqrt(Math.max(1e-6, (sq[i] ?? 0) / Math.max(1, rows) - m * m)));
  }
  return { mean, invStd };
}

/** y[n] = x[n] W + b (optionally ReLU); skips zero inputs, which are common after ReLU and for absent modalities. */
export function denseForward(layer: Dense, x: Float64Array, rows: number, relu: boolean): Float64Array {
  const { inputs, outputs, weight, bias } = layer;
  const y = new Float64Array(rows * outputs);
  for (let n = 0; n < rows; n++) {
    const yo = n * outputs;
    for (let o = 0; o < outputs; o++) y[yo + o] = bias[o] ?? 0;
    for (let i = 0; i < inputs; i++) {
      const xi = x[n * inputs + i] ?? 0;
      if (xi === 0) continue;
      const wo = i * outputs;
      for (let o = 0; o < outputs; o++) y[yo + o] = (y[yo + o] ?? 0) + xi * (weight[wo + o] ?? 0);
    }
    if (relu) for (let o = 0; o < outputs; o++) if ((y[yo + o] ?? 0) < 0) y[yo + o] = 0;
  }
  return y;
}

/** Activations of one forward pass, kept for backpropagation and for calibration. */
export interface Activations {
  readonly rows: number;
  readonly vitalsIn: Float64Array;
  readonly vitals1: Float64Array;
  readonly vitals2: Float64Array;
  readonly pooled: Float64Array;
  readonly tokenCounts: Float64Array;
  readonly text: Float64Array;
  readonly audioIn: Float64Array;
  readonly audio: Float64Array;
  readonly imageIn: Float64Array;
  readonly image: Float64Array;
  readonly fusionIn: Float64Array;
  readonly fusion: Float64Array;
  readonly triageLogits: Float64Array;
  readonly conditionHidden: Float64Array;
  readonly conditionLogits: Float64Array;
  readonly confidenceLogit: Float64Array;
}

function meanPoolTokens(net: Network, inputs: ModelInputs): { pooled: Float64Array; tokenCounts: Float64Array } {
  const e = ARCHITECTURE.textEmbedding;
  const t = inputs.seqLength;
  const pooled = new Float64Array(inputs.batch * e);
  const tokenCounts = new Float64Array(inputs.batch);
  for (let n = 0; n < inputs.batch; n++) {
    let count = 0;
    for (let k = 0; k < t; k++) {
      if (inputs.attentionMask[n * t + k] === 0) continue;
      count++;
      const row = (inputs.inputIds[n * t + k] ?? 0) * e;
      for (let j = 0; j < e; j++) pooled[n * e + j] = (pooled[n * e + j] ?? 0) + (net.embedding[row + j] ?? 0);
    }
    // Max(count, 1) mirrors the graph: an absent text pools to zeros instead of dividing by zero.
    tokenCounts[n] = Math.max(count, 1);
    for (let j = 0; j < e; j++) pooled[n * e + j] = (pooled[n * e + j] ?? 0) / (tokenCounts[n] ?? 1);
  }
  return { pooled, tokenCounts };
}

function standardise(values: Float32Array, norm: Network['audioNorm'], width: number): Float64Array {
  const out = new Float64Array(values.length);
  for (let k = 0; k < values.length; k++) {
    const i = k % width;
    out[k] = ((values[k] ?? 0) - (norm.mean[i] ?? 0)) * (norm.invStd[i] ?? 1);
  }
  return out;
}

function gate(x: Float64Array, width: number, mask: Float32Array, column: number): Float64Array {
  for (let k = 0; k < x.length; k++) x[k] = (x[k] ?? 0) * (mask[Math.floor(k / width) * MODALITIES.length + column] ?? 0);
  return x;
}

function concatRows(parts: readonly { data: Float64Array; width: number }[], rows: number): Float64Array {
  const width = parts.reduce((a, p) => a + p.width, 0);
  const out = new Float64Array(rows * width);
  for (let n = 0; n < rows; n++) {
    let offset = n * width;
    for (const p of parts) {
      out.set(p.data.subarray(n * p.width, (n + 1) * p.width), offset);
      offset += p.width;
    }
  }
  return out;
}

export function forward(net: Network, inputs: ModelInputs): Activations {
  const rows = inputs.batch;
  const a = ARCHITECTURE;
  const vitalsIn = Float64Array.from(inputs.vitals);
  const vitals1 = denseForward(net.vitals1, vitalsIn, rows, true);
  const vitals2 = gate(denseForward(net.vitals2, vitals1, rows, true), a.vitalsHidden, inputs.modalityMask, 0);
  const { pooled, tokenCounts } = meanPoolTokens(net, inputs);
  const text = gate(denseForward(net.text, pooled, rows, true), a.textHidden, inputs.modalityMask, 1);
  const audioIn = standardise(inputs.audio, net.audioNorm, AUDIO_SIZE);
  const audio = gate(denseForward(net.audio, audioIn, rows, true), a.audioHidden, inputs.modalityMask, 2);
  const imageIn = standardise(inputs.image, net.imageNorm, IMAGE_SIZE);
  const image = gate(denseForward(net.image, imageIn, rows, true), a.imageHidden, inputs.modalityMask, 3);
  const fusionIn = concatRows([
    { data: vitals2, width: a.vitalsHidden }, { data: text, width: a.textHidden },
    { data: audio, width: a.audioHidden }, { data: image, width: a.imageHidden },
  ], rows);
  const fusion = denseForward(net.fusion, fusionIn, rows, true);
  const conditionHidden = denseForward(net.conditionHidden, fusion, rows, true);
  return {
    rows, vitalsIn, vitals1, vitals2, pooled, tokenCounts, text, audioIn, audio, imageIn, image, fusionIn, fusion,
    triageLogits: denseForward(net.triage, fusion, rows, false),
    conditionHidden,
    conditionLogits: denseForward(net.conditionOut, conditionHidden, rows, false),
    confidenceLogit: denseForward(net.confidence, fusion, rows, false),
  };
}

export function argmaxRows(logits: ArrayLike<number>, width: number): number[] {
  const out: number[] = [];
  for (let n = 0; n * width < logits.length; n++) {
    let best = 0;
    for (let k = 1; k < width; k++) if ((logits[n * width + k] ?? 0) > (logits[n * width + best] ?? 0)) best = k;
    out.push(best);
  }
  return out;
}

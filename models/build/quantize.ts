/**
 * INT8 QDQ quantisation parameters: symmetric per-channel int8 weights and asymmetric per-tensor
 * uint8 activations calibrated with min/max over a calibration set.
 */
import { MODALITIES, type ModelInputs } from './model-inputs.js';
import { type Activations, type Network, forward } from './network.js';

export interface QuantizedWeight {
  /** Same layout as the float weight. */
  readonly values: Int8Array;
  readonly scales: Float32Array;
  /** The channel axis the scales run along (ONNX DequantizeLinear `axis`). */
  readonly axis: 0 | 1;
}

/** Symmetric int8 over [-127, 127] (no -128, so the scale is exactly max|w| / 127 both ways). */
export function quantizeWeight(weight: Float64Array, rows: number, cols: number, axis: 0 | 1): QuantizedWeight {
  const channels = axis === 0 ? rows : cols;
  const maxAbs = new Float64Array(channels);
  const channelOf = (r: number, c: number): number => (axis === 0 ? r : c);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const ch = channelOf(r, c);
      maxAbs[ch] = Math.max(maxAbs[ch] ?? 0, Math.abs(weight[r * cols + c] ?? 0));
    }
  }
  const scales = Float32Array.from(maxAbs, (m) => (m > 0 ? m / 127 : 1));
  const values = new Int8Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const q = Math.round((weight[r * cols + c] ?? 0) / (scales[channelOf(r, c)] ?? 1));
      values[r * cols + c] = Math.max(-127, Math.min(127, q));
    }
  }
  return { values, scales, axis };
}

export interface ActivationQuant {
  readonly min: number;
  readonly max: number;
  readonly scale: number;
  readonly zeroPoint: number;
}

/** Asymmetric uint8 over a range widened to include 0 (so zero padding and ReLU zeros are exact). */
export function activationQuant(min: number, max: number): ActivationQuant {
  const lo = Math.min(0, min);
  const hi = Math.max(0, max);
  const scale = Math.fround(hi > lo ? (hi - lo) / 255 : 1);
  const zeroPoint = Math.max(0, Math.min(255, Math.round(-lo / scale)));
  return { min, max, scale, zeroPoint };
}

/** The tensors whose values enter a quantised MatMul, keyed by their name in the graph. */
export const CALIBRATED_TENSORS = {
  vitals: (a: Activations) => a.vitalsIn,
  vitals_1: (a: Activations) => a.vitals1,
  text_pooled: (a: Activations) => a.pooled,
  audio_norm: (a: Activations) => a.audioIn,
  image_norm: (a: Activations) => a.imageIn,
  fusion_input: (a: Activations) => a.fusionIn,
  fusion: (a: Activations) => a.fusion,
  condition_hidden: (a: Activations) => a.conditionHidden,
} as const;
export type CalibratedTensor = keyof typeof CALIBRATED_TENSORS;
export type ActivationPlan = Record<CalibratedTensor, ActivationQuant>;

function minMax(values: Float64Array, rows: number, width: number, mask: Float32Array | null, column: number): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let n = 0; n < rows; n++) {
    // Rows where the modality is absent carry placeholder values the graph multiplies away; they must not widen the range.
    if (mask && mask[n * MODALITIES.length + column] !== 1) continue;
    for (let i = 0; i < width; i++) {
      const x = values[n * width + i] ?? 0;
      if (x < min) min = x;
      if (x > max) max = x;
    }
  }
  return Number.isFinite(min) ? { min, max } : { min: 0, max: 0 };
}

/** Calibrates every quantised activation with min/max over the calibration inputs. */
export function calibrateActivations(net: Network, inputs: ModelInputs): ActivationPlan {
  const act = forward(net, inputs);
  const rows = inputs.batch;
  const plan = {} as Record<CalibratedTensor, ActivationQuant>;
  const maskColumn: Partial<Record<CalibratedTensor, number>> = { vitals: 0, vitals_1: 0, text_pooled: 1, audio_norm: 2, image_norm: 3 };
  for (const [name, pick] of Object.entries(CALIBRATED_TENSORS) as [CalibratedTensor, (a: Activations) => Float64Array][]) {
    const values = pick(act);
    const column = maskColumn[name];
    const { min, max } = minMax(values, rows, values.length / rows, column === undefined ? null : inputs.modalityMask, column ?? 0);
    plan[name] = activationQuant(min, max);
  }
  return plan;
}

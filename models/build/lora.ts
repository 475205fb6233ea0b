/**
 * Turning a PEFT LoRA adapter into the model's LoRA inputs. PEFT keeps torch.nn.Linear layout
 * (A: [r, in], B: [out, r]); the graph computes x A B with A [in, rank] and B [rank, out], so both
 * are transposed and zero-padded up to the graph's fixed rank.
 */
import { LORA_RANK, LORA_TARGETS } from './export-onnx.js';

export interface PeftLoraMatrices {
  /** lora_A.weight, [r, in] row-major. */
  readonly A: Float32Array;
  /** lora_B.weight, [out, r] row-major. */
  readonly B: Float32Array;
  readonly rank: number;
}

export function loraTarget(layer: string): (typeof LORA_TARGETS)[number] {
  const target = LORA_TARGETS.find((t) => t.layer === layer);
  if (!target) throw new Error(`layer ${layer} takes no LoRA adapter`);
  return target;
}

export function loraInputsFromPeft(layer: string, peft: PeftLoraMatrices): { A: Float32Array; B: Float32Array } {
  const { inputs, outputs } = loraTarget(layer);
  const r = peft.rank;
  if (r < 1 || r > LORA_RANK) throw new Error(`adapter rank ${r} outside 1..${LORA_RANK}`);
  if (peft.A.length !== r * inputs || peft.B.length !== outputs * r) throw new Error(`adapter shapes do not fit ${layer} [${inputs} -> ${outputs}]`);
  const A = new Float32Array(inputs * LORA_RANK);
  const B = new Float32Array(LORA_RANK * outputs);
  for (let k = 0; k < r; k++) {
    for (let i = 0; i < inputs; i++) A[i * LORA_RANK + k] = peft.A[k * inputs + i] ?? 0;
    for (let o = 0; o < outputs; o++) B[k * outputs + o] = peft.B[o * r + k] ?? 0;
  }
  return { A, B };
}

/** PEFT's scaling: lora_alpha / r, or lora_alpha / sqrt(r) for rsLoRA, with r the adapter's own rank. */
export const loraScale = (alpha: number, rank: number, rsLora = false): number => alpha / (rsLora ? Math.sqrt(rank) : rank);

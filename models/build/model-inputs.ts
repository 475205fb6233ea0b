/** Packs cases into the model's batched input tensors (flat row-major arrays). */
import { AUDIO_SIZE, IMAGE_SIZE } from './modality-features.js';
import type { SyntheticCase } from './synthetic-cases.js';
import type { WordPieceTokenizer } from './tokenizer.js';
import { VITALS_SIZE, encodeVitals } from './vitals-features.js';

export const MODALITIES = ['vitals', 'text', 'audio', 'image'] as const;

export interface ModelInputs {
  readonly batch: number;
  readonly seqLength: number;
  readonly vitals: Float32Array;
  readonly inputIds: Int32Array;
  readonly attentionMask: Int32Array;
  readonly audio: Float32Array;
  readonly image: Float32Array;
  readonly modalityMask: Float32Array;
}

export function encodeCases(cases: readonly SyntheticCase[], tokenizer: WordPieceTokenizer): ModelInputs {
  const batch = cases.length;
  const seqLength = tokenizer.maxLength;
  const inputs: ModelInputs = {
    batch,
    seqLength,
    vitals: new Float32Array(batch * VITALS_SIZE),
    inputIds: new Int32Array(batch * seqLength),
    attentionMask: new Int32Array(batch * seqLength),
    audio: new Float32Array(batch * AUDIO_SIZE),
    image: new Float32Array(batch * IMAGE_SIZE),
    modalityMask: new Float32Array(batch * MODALITIES.length),
  };
  cases.forEach((c, n) => writeCase(inputs, n, c, tokenizer));
  return inputs;
}

function writeCase(inputs: ModelInputs, n: number, c: SyntheticCase, tokenizer: WordPieceTokenizer): void {
  encodeVitals(c.vitals ?? {}, inputs.vitals, n * VITALS_SIZE);
  const text = c.text === null ? tokenizer.absent() : tokenizer.encode(c.text);
  inputs.inputIds.set(text.ids, n * inputs.seqLength);
  inputs.attentionMask.set(text.attentionMask, n * inputs.seqLength);
  if (c.audio) inputs.audio.set(c.audio, n * AUDIO_SIZE);
  if (c.image) inputs.image.set(c.image, n * IMAGE_SIZE);
  const present = [c.vitals !== null, c.text !== null, c.audio !== null, c.image !== null];
  present.forEach((p, m) => { inputs.modalityMask[n * MODALITIES.length + m] = p ? 1 : 0; });
}

/** A contiguous slice of rows [from, to). */
export function sliceInputs(inputs: ModelInputs, from: number, to: number): ModelInputs {
  const rows = <T extends Float32Array | Int32Array>(a: T, width: number): T => a.subarray(from * width, to * width) as T;
  return {
    batch: to - from,
    seqLength: inputs.seqLength,
    vitals: rows(inputs.vitals, VITALS_SIZE),
    inputIds: rows(inputs.inputIds, inputs.seqLength),
    attentionMask: rows(inputs.attentionMask, inputs.seqLength),
    audio: rows(inputs.audio, AUDIO_SIZE),
    image: rows(inputs.image, IMAGE_SIZE),
    modalityMask: rows(inputs.modalityMask, MODALITIES.length),
  };
}

/** The rows at `indices`, copied into a new batch (mini-batch sampling). */
export function gatherInputs(inputs: ModelInputs, indices: readonly number[]): ModelInputs {
  const pick = <T extends Float32Array | Int32Array>(a: T, width: number, make: (n: number) => T): T => {
    const out = make(indices.length * width);
    indices.forEach((row, k) => out.set(a.subarray(row * width, (row + 1) * width), k * width));
    return out;
  };
  const f32 = (n: number): Float32Array => new Float32Array(n);
  const i32 = (n: number): Int32Array => new Int32Array(n);
  return {
    batch: indices.length,
    seqLength: inputs.seqLength,
    vitals: pick(inputs.vitals, VITALS_SIZE, f32),
    inputIds: pick(inputs.inputIds, inputs.seqLength, i32),
    attentionMask: pick(inputs.attentionMask, inputs.seqLength, i32),
    audio: pick(inputs.audio, AUDIO_SIZE, f32),
    image: pick(inputs.image, IMAGE_SIZE, f32),
    modalityMask: pick(inputs.modalityMask, MODALITIES.length, f32),
  };
}

/** Reads the committed hema3n-core package for the tests. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import onnx from 'onnx-proto';
import { WordPieceTokenizer } from '../build/index.js';

export const PACKAGE_DIR = fileURLToPath(new URL('../hema3n-core/', import.meta.url));

export interface ManifestTensor { readonly name: string; readonly dtype: string; readonly shape: readonly (number | string)[] }

export interface Manifest {
  readonly id: string;
  readonly version: string;
  readonly referenceModel: boolean;
  readonly statement: string;
  readonly sha256: string;
  readonly files: readonly { role: string; path: string; sha256: string; bytes: number }[];
  readonly inputs: readonly ManifestTensor[];
  readonly outputs: readonly ManifestTensor[];
  readonly features: { vitals: { size: number; features: readonly Record<string, unknown>[] } };
  readonly tokenizer: { maxLength: number; vocabSize: number; specialTokens: Record<string, { token: string; id: number }> };
  readonly labels: { conditions: { classes: readonly { index: number; id: string; specialty: string }[] }; specialties: readonly string[] };
  readonly lora: {
    rank: number;
    scaleInput: string;
    targets: readonly { layer: string; in: number; out: number; rank: number; inputs: { A: ManifestTensor; B: ManifestTensor } }[];
    peft: { map: readonly { key: string; layer: string; matrix: 'A' | 'B'; input: string; transpose: boolean }[] };
  };
  readonly quantization: { activations: { calibration: string; calibrationSetSize: number } };
  readonly training: { seed: number; report: { triageAgreementInt8VsFp32: number; heldOutCases: number } };
  readonly [key: string]: unknown;
}

export const packageFile = (name: string): Buffer => readFileSync(`${PACKAGE_DIR}${name}`);
export const manifest = (): Manifest => JSON.parse(packageFile('manifest.json').toString('utf8')) as Manifest;
export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
export const packageTokenizer = (): WordPieceTokenizer => WordPieceTokenizer.fromVocabText(packageFile('vocab.txt').toString('utf8'));

/** Initializers of an ONNX file by name, decoded from raw little-endian data. */
export function initializers(model: Uint8Array): Map<string, { dims: number[]; data: Float32Array | Int8Array | Uint8Array }> {
  const decoded = onnx.onnx.ModelProto.decode(model);
  const out = new Map<string, { dims: number[]; data: Float32Array | Int8Array | Uint8Array }>();
  for (const t of decoded.graph?.initializer ?? []) {
    const raw = t.rawData ?? new Uint8Array(0);
    // Copy: protobufjs hands out Buffers that are views into a shared pool.
    const bytes = new Uint8Array(raw).buffer;
    const data = t.dataType === 1 ? new Float32Array(bytes) : t.dataType === 3 ? new Int8Array(bytes) : new Uint8Array(bytes);
    out.set(t.name ?? '', { dims: (t.dims ?? []).map(Number), data });
  }
  return out;
}

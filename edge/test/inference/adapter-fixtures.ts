/** Adapter packages for the tests: copies of the bundled ones, re-signed variants and hand-made tensors. */
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUNDLED_ADAPTERS_DIR, BUNDLED_MODEL_DIR, writeSafetensors, type FloatTensor } from '../../src/inference/index.js';
import { createRandom } from '../../../models/build/index.js';
import { writeSignedDocument } from '../../../lora-adapters/build/package.js';
import { DEV_SECRET_KEY } from './fixtures.js';

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
export const BASE_MODEL_SHA256 = sha256(readFileSync(join(BUNDLED_MODEL_DIR, 'model.onnx')));

export const readDocument = (dir: string): Record<string, unknown> => JSON.parse(readFileSync(join(dir, 'adapter.json'), 'utf8')) as Record<string, unknown>;

export async function editAdapter(dir: string, edit: (doc: Record<string, unknown>) => void, secretKey: string | null = DEV_SECRET_KEY): Promise<void> {
  const doc = readDocument(dir);
  edit(doc);
  if (secretKey) await writeSignedDocument('adapter', join(dir, 'adapter.json'), doc, secretKey);
  else writeFileSync(join(dir, 'adapter.json'), JSON.stringify(doc, null, 2));
}

/** A copy of a bundled adapter, optionally re-signed as another version. */
export async function copyAdapter(specialty: string, dir: string, version?: string): Promise<string> {
  const target = join(dir, `${specialty}-${version ?? 'copy'}`);
  cpSync(join(BUNDLED_ADAPTERS_DIR, specialty), target, { recursive: true });
  if (version) await editAdapter(target, (doc) => { doc.version = version; });
  return target;
}

export const randomMatrix = (seed: number, length: number, scale: number): Float32Array => {
  const r = createRandom(seed);
  return Float32Array.from({ length }, () => r.normal() * scale);
};

/** An adapter package with exactly these tensors (any shapes), its file hashed into a signed adapter.json. */
export async function rawAdapter(dir: string, tensors: Record<string, FloatTensor>, doc: Record<string, unknown>, weights?: Uint8Array): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const bytes = weights ?? writeSafetensors(tensors);
  writeFileSync(join(dir, 'adapter.safetensors'), bytes);
  await writeSignedDocument('adapter', join(dir, 'adapter.json'), {
    format: 'hema3n-lora', name: 'test', specialty: 'cardiology', version: 'test', baseModelSha256: BASE_MODEL_SHA256, rank: 4, alpha: 8, targets: ['condition_hidden'],
    files: [{ path: 'adapter.safetensors', sha256: sha256(bytes), bytes: bytes.length }],
    ...doc,
  }, DEV_SECRET_KEY);
  return dir;
}

/** condition_hidden tensors of a given rank, named as the graph inputs. */
export const headTensors = (rank: number, seed = 1): Record<string, FloatTensor> => ({
  lora_condition_hidden_A: { shape: [64, rank], data: randomMatrix(seed, 64 * rank, 0.2) },
  lora_condition_hidden_B: { shape: [rank, 32], data: randomMatrix(seed + 1, rank * 32, 0.2) },
});

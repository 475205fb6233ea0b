/**
 * Writing signed adapter packages: the hema3n layout (adapter.json + adapter.safetensors with the
 * graph's tensor names) and the PEFT layout (adapter_config.json + adapter_model.safetensors,
 * wrapped by a signed adapter.json). Used by build-adapters.ts, sign-package.ts and the tests.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ADAPTER_DOCUMENT, NATIVE_WEIGHTS, PEFT_CONFIG, PEFT_WEIGHTS, signPackageDocument, writeSafetensors,
  type FloatTensor, type LoraMatrices, type ModelManifest, type SignedKind,
} from '../../edge/src/inference/index.js';

/** DEVELOPMENT ONLY: signs the reference packages. Production packages are signed with the fleet key kept off the repo. */
export const DEV_FLEET_SECRET_KEY_FILE = fileURLToPath(new URL('./fleet-dev.key', import.meta.url));

export const readSecretKey = (file = DEV_FLEET_SECRET_KEY_FILE): string => readFileSync(file, 'utf8').trim();

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export interface AdapterMeta {
  readonly name: string;
  readonly specialty: string;
  readonly version: string;
  readonly baseModelSha256: string;
  readonly rank: number;
  readonly alpha: number;
  /** Free-form provenance written into adapter.json (and so covered by the signature). */
  readonly extra?: Record<string, unknown>;
}

function fileEntry(dir: string, path: string, bytes: Uint8Array): { path: string; sha256: string; bytes: number } {
  writeFileSync(join(dir, path), bytes);
  return { path, sha256: sha256(bytes), bytes: bytes.length };
}

export async function writeSignedDocument(kind: SignedKind, file: string, document: Record<string, unknown>, secretKey: string): Promise<void> {
  writeFileSync(file, `${JSON.stringify(await signPackageDocument(kind, document, secretKey), null, 2)}\n`);
}

/** hema3n layout: tensors named as the graph inputs, A [in, r] and B [r, out]. */
export async function writeAdapterPackage(dir: string, m: ModelManifest, meta: AdapterMeta, layers: ReadonlyMap<string, LoraMatrices>, secretKey: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const tensors: Record<string, FloatTensor> = {};
  for (const [layer, { A, B, rank }] of layers) {
    const target = m.lora.targets.find((t) => t.layer === layer);
    if (!target) throw new Error(`${layer} is not a LoRA target`);
    tensors[target.inputs.A.name] = { shape: [target.in, rank], data: A };
    tensors[target.inputs.B.name] = { shape: [rank, target.out], data: B };
  }
  const weights = fileEntry(dir, NATIVE_WEIGHTS, writeSafetensors(tensors, { format: 'hema3n-lora', specialty: meta.specialty }));
  const { extra, ...fields } = meta;
  await writeSignedDocument('adapter', join(dir, ADAPTER_DOCUMENT), { format: 'hema3n-lora', ...fields, targets: [...layers.keys()], files: [weights], ...extra }, secretKey);
}

export interface PeftAdapter {
  readonly rank: number;
  readonly alpha: number;
  /** Per module path: lora_A.weight [r, in] and lora_B.weight [out, r], row-major (torch Linear layout). */
  readonly modules: ReadonlyMap<string, { A: Float32Array; B: Float32Array; in: number; out: number }>;
  /** Key spelling of PEFT < 0.7 (`lora_A.default.weight`). */
  readonly legacyKeys?: boolean;
}

/** PEFT layout as `PeftModel.save_pretrained` writes it, plus the signed adapter.json that vouches for it. */
export async function writePeftPackage(dir: string, meta: Omit<AdapterMeta, 'rank' | 'alpha'>, peft: PeftAdapter, secretKey: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const suffix = peft.legacyKeys ? 'default.weight' : 'weight';
  const tensors: Record<string, FloatTensor> = {};
  for (const [module, w] of peft.modules) {
    tensors[`base_model.model.${module}.lora_A.${suffix}`] = { shape: [peft.rank, w.in], data: w.A };
    tensors[`base_model.model.${module}.lora_B.${suffix}`] = { shape: [w.out, peft.rank], data: w.B };
  }
  const config = {
    peft_type: 'LORA', r: peft.rank, lora_alpha: peft.alpha, lora_dropout: 0, bias: 'none', use_rslora: false,
    target_modules: [...peft.modules.keys()], task_type: null, base_model_name_or_path: 'hema3n-core',
  };
  const files = [
    fileEntry(dir, PEFT_CONFIG, Buffer.from(`${JSON.stringify(config, null, 2)}\n`)),
    fileEntry(dir, PEFT_WEIGHTS, writeSafetensors(tensors, { format: 'pt' })),
  ];
  const { extra, ...fields } = meta;
  await writeSignedDocument('adapter', join(dir, ADAPTER_DOCUMENT), { format: 'peft', ...fields, files, ...extra }, secretKey);
}

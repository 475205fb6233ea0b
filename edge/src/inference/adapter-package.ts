import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { FieldIssue } from '../errors.js';
import { InferenceError } from './errors.js';
import { loraFeeds, transpose, type LoraFeeds, type LoraMatrices } from './lora.js';
import type { LoraTarget, ModelManifest } from './manifest.js';
import { sha256Hex, type ModelPackage } from './model-package.js';
import { readSafetensors, type FloatTensor } from './safetensors.js';
import { verifyPackageSignature, type FleetPublicKey } from './signing.js';

export const ADAPTER_DOCUMENT = 'adapter.json';
export const ADAPTER_FORMATS = ['hema3n-lora', 'peft'] as const;
const SPECIALTY = /^[a-z][a-z0-9-]{0,39}$/;
const fileName = z.string().regex(/^(?!\.)[A-Za-z0-9._-]+$/, 'must be a plain file name inside the package');

/** adapter.json: who the adapter is for and what it is, plus the sha256 of each payload file; signed by the fleet key. */
export const adapterDocumentSchema = z.looseObject({
  format: z.enum(ADAPTER_FORMATS).default('hema3n-lora'),
  name: z.string().min(1).max(120),
  specialty: z.string().regex(SPECIALTY, 'must be a lowercase specialty name'),
  version: z.string().min(1).max(64),
  baseModelSha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters'),
  rank: z.int().min(1).optional(),
  alpha: z.number().positive().optional(),
  rsLora: z.boolean().default(false),
  targets: z.array(z.string()).min(1).optional(),
  files: z.array(z.looseObject({ path: fileName, sha256: z.string().regex(/^[0-9a-f]{64}$/), bytes: z.int().min(0) })).min(1),
});
export type AdapterDocument = z.infer<typeof adapterDocumentSchema>;

/** PEFT's adapter_config.json, the fields that decide the math. */
const peftConfigSchema = z.looseObject({
  peft_type: z.literal('LORA').optional(),
  r: z.int().min(1),
  lora_alpha: z.number().positive(),
  use_rslora: z.boolean().default(false),
});

export const NATIVE_WEIGHTS = 'adapter.safetensors';
export const PEFT_CONFIG = 'adapter_config.json';
export const PEFT_WEIGHTS = 'adapter_model.safetensors';

/** A verified adapter with its feeds built: choosing it for a request is handing these tensors to the run. */
export interface PreparedAdapter {
  readonly specialty: string;
  readonly version: string;
  readonly name: string;
  readonly format: AdapterDocument['format'];
  readonly rank: number;
  readonly alpha: number;
  readonly scale: number;
  readonly targets: readonly string[];
  readonly baseModelSha256: string;
  readonly keyId: string;
  readonly dir: string;
  /** adapter.json and the payload files it lists: what an install copies. */
  readonly files: readonly string[];
  readonly layers: ReadonlyMap<string, LoraMatrices>;
  readonly feeds: LoraFeeds;
}

const refuse = (code: InferenceError['code'], message: string, issues: FieldIssue[] = []): InferenceError => new InferenceError(code, message, { issues });

async function readDocument(dir: string): Promise<unknown> {
  const text = await readFile(join(dir, ADAPTER_DOCUMENT), 'utf8').catch(() => null);
  if (text === null) throw refuse('ADAPTER_CORRUPT', `The adapter directory has no readable ${ADAPTER_DOCUMENT}`, [{ field: ADAPTER_DOCUMENT, problem: 'cannot be read' }]);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw refuse('ADAPTER_CORRUPT', `${ADAPTER_DOCUMENT} is not JSON`, [{ field: ADAPTER_DOCUMENT, problem: 'must be JSON' }]);
  }
}

function parseDocument(json: unknown): AdapterDocument {
  const parsed = adapterDocumentSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  throw refuse('ADAPTER_CORRUPT', `${ADAPTER_DOCUMENT} lacks required fields`, parsed.error.issues.map((i) => ({ field: i.path.join('.') || ADAPTER_DOCUMENT, problem: i.message })));
}

async function verifiedFiles(dir: string, doc: AdapterDocument): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  const issues: FieldIssue[] = [];
  for (const file of doc.files) {
    const bytes = await readFile(join(dir, file.path)).catch(() => null);
    if (bytes === null) issues.push({ field: file.path, problem: 'is listed but missing' });
    else if (bytes.length !== file.bytes || sha256Hex(bytes) !== file.sha256) issues.push({ field: file.path, problem: 'differs from its sha256 in adapter.json' });
    else files.set(file.path, bytes);
  }
  if (issues.length > 0) throw refuse('ADAPTER_CORRUPT', 'Adapter files do not match adapter.json', issues);
  return files;
}

function tensorsOf(files: Map<string, Uint8Array>, path: string): ReadonlyMap<string, FloatTensor> {
  const bytes = files.get(path);
  if (!bytes) throw refuse('ADAPTER_CORRUPT', `adapter.json does not list ${path}`, [{ field: 'files', problem: `must list ${path}` }]);
  try {
    return readSafetensors(bytes).tensors;
  } catch (error) {
    throw refuse('ADAPTER_CORRUPT', `${path} is not a valid safetensors file`, [{ field: path, problem: (error as Error).message }]);
  }
}

const shapeIs = (t: FloatTensor | undefined, shape: readonly number[]): boolean => t !== undefined && t.shape.length === shape.length && t.shape.every((d, i) => d === shape[i]);

/** Native layout: tensors named as the graph inputs, A [in, r] and B [r, out] at the adapter's own rank. */
function nativeLayers(m: ModelManifest, tensors: ReadonlyMap<string, FloatTensor>, rank: number): Map<string, LoraMatrices> {
  const layers = new Map<string, LoraMatrices>();
  const issues: FieldIssue[] = [];
  const known = new Set(m.lora.targets.flatMap((t) => [t.inputs.A.name, t.inputs.B.name]));
  for (const name of tensors.keys()) if (!known.has(name)) issues.push({ field: name, problem: 'is not a LoRA input of this model' });
  for (const target of m.lora.targets) {
    const [A, B] = [tensors.get(target.inputs.A.name), tensors.get(target.inputs.B.name)];
    if (!A && !B) continue;
    if (!shapeIs(A, [target.in, rank])) issues.push({ field: target.inputs.A.name, problem: `must be [${target.in}, ${rank}]` });
    if (!shapeIs(B, [rank, target.out])) issues.push({ field: target.inputs.B.name, problem: `must be [${rank}, ${target.out}]` });
    if (A && B) layers.set(target.layer, { A: A.data, B: B.data, rank });
  }
  if (issues.length > 0) throw refuse('ADAPTER_SHAPE_INVALID', 'Adapter tensors do not fit the model LoRA targets', issues);
  return layers;
}

/** The manifest's PEFT name map, also under the older `.default.weight` spelling. */
function peftKeys(m: ModelManifest): Map<string, ModelManifest['lora']['peft']['map'][number]> {
  return new Map(m.lora.peft.map.flatMap((e) => [[e.key, e], [e.key.replace(/\.weight$/, '.default.weight'), e]] as const));
}

/** PEFT layout: lora_A.weight [r, in] and lora_B.weight [out, r], transposed to graph layout as the manifest says. */
function peftLayers(m: ModelManifest, tensors: ReadonlyMap<string, FloatTensor>, rank: number): Map<string, LoraMatrices> {
  const map = peftKeys(m);
  const found = new Map<string, { A?: Float32Array; B?: Float32Array }>();
  const issues: FieldIssue[] = [];
  for (const [key, tensor] of tensors) {
    const entry = map.get(key);
    const target = entry && m.lora.targets.find((t) => t.layer === entry.layer);
    if (!entry || !target) {
      issues.push({ field: key, problem: 'adapts no LoRA target of this model (see manifest lora.peft.map)' });
      continue;
    }
    const [rows, cols] = entry.matrix === 'A' ? [rank, target.in] : [target.out, rank];
    if (!shapeIs(tensor, [rows, cols])) issues.push({ field: key, problem: `must be [${rows}, ${cols}]` });
    else found.set(target.layer, { ...found.get(target.layer), [entry.matrix]: entry.transpose ? transpose(tensor.data, rows, cols) : tensor.data });
  }
  const layers = new Map<string, LoraMatrices>();
  for (const { layer } of m.lora.targets) {
    const { A, B } = found.get(layer) ?? {};
    if (A && B) layers.set(layer, { A, B, rank });
    else if (A || B) issues.push({ field: layer, problem: 'needs both lora_A and lora_B' });
  }
  if (issues.length > 0) throw refuse('ADAPTER_SHAPE_INVALID', 'PEFT tensors do not fit the model LoRA targets', issues);
  return layers;
}

function peftConfig(files: Map<string, Uint8Array>): z.infer<typeof peftConfigSchema> {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(files.get(PEFT_CONFIG) ?? new Uint8Array(0)).toString('utf8'));
  } catch {
    throw refuse('ADAPTER_CORRUPT', `${PEFT_CONFIG} is missing from files or not JSON`, [{ field: PEFT_CONFIG, problem: 'must be listed and be JSON' }]);
  }
  const parsed = peftConfigSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  throw refuse('ADAPTER_CORRUPT', `${PEFT_CONFIG} lacks LoRA fields`, parsed.error.issues.map((i) => ({ field: `${PEFT_CONFIG}.${i.path.join('.')}`, problem: i.message })));
}

interface Hyper { readonly rank: number; readonly alpha: number; readonly rsLora: boolean }

/** Rank and alpha: PEFT's config decides for PEFT packages, and adapter.json must not contradict it. */
function hyperparameters(doc: AdapterDocument, files: Map<string, Uint8Array>): Hyper {
  if (doc.format === 'hema3n-lora') {
    if (doc.rank === undefined || doc.alpha === undefined) throw refuse('ADAPTER_CORRUPT', 'adapter.json lacks rank or alpha', [{ field: 'rank', problem: 'rank and alpha are required' }]);
    return { rank: doc.rank, alpha: doc.alpha, rsLora: doc.rsLora };
  }
  const config = peftConfig(files);
  if ((doc.rank !== undefined && doc.rank !== config.r) || (doc.alpha !== undefined && doc.alpha !== config.lora_alpha)) {
    throw refuse('ADAPTER_SHAPE_INVALID', 'adapter.json and adapter_config.json disagree on rank or alpha', [{ field: 'rank', problem: `adapter_config.json says r=${config.r}, lora_alpha=${config.lora_alpha}` }]);
  }
  return { rank: config.r, alpha: config.lora_alpha, rsLora: config.use_rslora };
}

function checkFits(m: ModelManifest, doc: AdapterDocument, hyper: Hyper, layers: Map<string, LoraMatrices>): void {
  const issues: FieldIssue[] = [];
  if (hyper.rank > m.lora.rank) issues.push({ field: 'rank', problem: `is ${hyper.rank}, the model takes at most ${m.lora.rank}` });
  if (layers.size === 0) issues.push({ field: 'targets', problem: 'the adapter adapts no layer' });
  const targets = doc.targets ?? [...layers.keys()];
  const byLayer = new Map<string, LoraTarget>(m.lora.targets.map((t) => [t.layer, t]));
  for (const t of targets) if (!byLayer.has(t)) issues.push({ field: 'targets', problem: `${t} is not a LoRA target of this model` });
  if ([...layers.keys()].sort().join() !== [...targets].sort().join()) issues.push({ field: 'targets', problem: 'must list exactly the layers the tensors adapt' });
  for (const [layer, { A, B }] of layers) {
    if (![...A, ...B].every(Number.isFinite)) issues.push({ field: layer, problem: 'holds values that are not finite numbers' });
  }
  if (issues.length > 0) throw refuse('ADAPTER_SHAPE_INVALID', 'The adapter does not fit the model', issues);
}

/**
 * Reads and verifies one adapter package against the running model: fleet signature, base model
 * sha256, payload sha256, tensor shapes. Refusals name the reason; nothing is half-prepared.
 */
export async function loadAdapterPackage(dir: string, model: ModelPackage, fleetKey: FleetPublicKey): Promise<PreparedAdapter> {
  const json = await readDocument(dir);
  await verifyPackageSignature('adapter', json, fleetKey);
  const doc = parseDocument(json);
  const m = model.manifest;
  if (doc.baseModelSha256 !== model.sha256) {
    throw refuse('ADAPTER_BASE_MISMATCH', `The ${doc.specialty} adapter was built for another base model`, [{ field: 'baseModelSha256', problem: `is ${doc.baseModelSha256.slice(0, 12)}…, the running model is ${model.sha256.slice(0, 12)}…` }]);
  }
  if (!m.labels.specialties.includes(doc.specialty)) {
    throw refuse('ADAPTER_BASE_MISMATCH', `The model has no specialty ${doc.specialty}`, [{ field: 'specialty', problem: `must be one of ${m.labels.specialties.join(', ')}` }]);
  }
  const files = await verifiedFiles(dir, doc);
  const hyper = hyperparameters(doc, files);
  const layers = doc.format === 'peft' ? peftLayers(m, tensorsOf(files, PEFT_WEIGHTS), hyper.rank) : nativeLayers(m, tensorsOf(files, NATIVE_WEIGHTS), hyper.rank);
  checkFits(m, doc, hyper, layers);
  const scale = hyper.alpha / (hyper.rsLora ? Math.sqrt(hyper.rank) : hyper.rank);
  const keyId = (json as { signature: { keyId: string } }).signature.keyId;
  return {
    specialty: doc.specialty, version: doc.version, name: doc.name, format: doc.format, rank: hyper.rank, alpha: hyper.alpha, scale,
    targets: [...layers.keys()], baseModelSha256: doc.baseModelSha256, keyId, dir, files: [ADAPTER_DOCUMENT, ...doc.files.map((f) => f.path)], layers, feeds: loraFeeds(m, layers, scale),
  };
}

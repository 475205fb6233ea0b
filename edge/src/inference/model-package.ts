import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FieldIssue } from '../errors.js';
// Imported, not copied: the tokenizer is part of the model contract (see media-features.ts).
// eslint-disable-next-line no-restricted-imports
import { WordPieceTokenizer } from '../../../models/build/tokenizer.js';
import { manifestIssues } from './contract.js';
import { InferenceError } from './errors.js';
import { modelManifestSchema, type ModelManifest } from './manifest.js';
import { verifyPackageSignature, type FleetPublicKey } from './signing.js';

/** A model package whose signature, file hashes and manifest have been checked; the graph is checked when its session opens. */
export interface ModelPackage {
  readonly dir: string;
  readonly manifest: ModelManifest;
  /** sha256 of model.onnx: what adapters name as their base. */
  readonly sha256: string;
  readonly model: Uint8Array;
  readonly tokenizer: WordPieceTokenizer;
}

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

async function readManifest(dir: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(join(dir, 'manifest.json'), 'utf8');
  } catch (cause) {
    throw new InferenceError('MODEL_PACKAGE_INVALID', 'The model package has no readable manifest.json', { cause, issues: [{ field: 'manifest.json', problem: 'cannot be read' }] });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new InferenceError('MODEL_PACKAGE_INVALID', 'The model manifest is not JSON', { cause, issues: [{ field: 'manifest.json', problem: 'must be JSON' }] });
  }
}

function parseManifest(json: unknown): ModelManifest {
  const parsed = modelManifestSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(manifest)', problem: i.message }));
  throw new InferenceError('MODEL_CONTRACT_MISMATCH', 'The model manifest does not have the contract layout', { issues });
}

/** Reads every listed file and checks its size and sha256; returns the files by path. */
async function verifiedFiles(dir: string, m: ModelManifest): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  const issues: FieldIssue[] = [];
  for (const file of m.files) {
    const bytes = await readFile(join(dir, file.path)).catch(() => null);
    if (bytes === null) issues.push({ field: file.path, problem: 'is listed in the manifest but missing' });
    else if (bytes.length !== file.bytes || sha256Hex(bytes) !== file.sha256) issues.push({ field: file.path, problem: 'differs from its sha256 in the manifest' });
    else files.set(file.path, bytes);
  }
  const model = m.files.find((f) => f.role === 'model');
  if (!model || model.sha256 !== m.sha256) issues.push({ field: 'sha256', problem: 'must equal the sha256 of the file with role "model"' });
  if (!m.files.some((f) => f.path === m.tokenizer.vocabFile)) issues.push({ field: 'tokenizer.vocabFile', problem: 'is not listed in files, so nothing vouches for it' });
  if (issues.length > 0) throw new InferenceError('MODEL_INTEGRITY_FAILED', 'Model package files do not match their manifest', { issues });
  return files;
}

function readTokenizer(vocabulary: string, m: ModelManifest): WordPieceTokenizer {
  try {
    return WordPieceTokenizer.fromVocabText(vocabulary, m.tokenizer.maxLength);
  } catch (cause) {
    throw new InferenceError('MODEL_CONTRACT_MISMATCH', 'The vocabulary cannot serve as a WordPiece vocabulary', { cause, issues: [{ field: m.tokenizer.vocabFile, problem: 'must hold [PAD], [UNK], [CLS] and [SEP]' }] });
  }
}

/**
 * Loads a model package and refuses it unless the manifest is signed by the fleet key, every file
 * matches its sha256, and the manifest describes a contract this runtime can feed.
 */
export async function loadModelPackage(dir: string, fleetKey: FleetPublicKey): Promise<ModelPackage> {
  const json = await readManifest(dir);
  await verifyPackageSignature('model', json, fleetKey);
  const manifest = parseManifest(json);
  const files = await verifiedFiles(dir, manifest);
  const model = files.get(manifest.files.find((f) => f.role === 'model')?.path ?? '') ?? new Uint8Array(0);
  const vocabulary = Buffer.from(files.get(manifest.tokenizer.vocabFile) ?? new Uint8Array(0)).toString('utf8');
  const tokenizer = readTokenizer(vocabulary, manifest);
  const issues = manifestIssues(manifest, tokenizer.vocab.length);
  if (issues.length > 0) throw new InferenceError('MODEL_CONTRACT_MISMATCH', 'The model manifest contradicts itself or this runtime', { issues });
  return { dir, manifest, sha256: manifest.sha256, model, tokenizer };
}

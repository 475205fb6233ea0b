/** Shared set-up for the inference tests: package copies, keys, loggers, services and synthetic cases. */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { generateSigningKeyPair } from '@hema3n/cloud-sync/wire';
import {
  BUNDLED_ADAPTERS_DIR, BUNDLED_MODEL_DIR, DEV_FLEET_PUBLIC_KEY_FILE, encodeRow, InferenceService,
  type EncodedRow, type InferenceOptions, type InferInput, type ModelPackage,
} from '../../src/inference/index.js';
import { createLogger, type Logger } from '../../src/observability/index.js';
import { createRandom, VITAL_FEATURES, type SyntheticCase } from '../../../models/build/index.js';
import { readSecretKey, writeSignedDocument } from '../../../lora-adapters/build/package.js';

export const DEV_PUBLIC_KEY = readFileSync(DEV_FLEET_PUBLIC_KEY_FILE, 'utf8').trim();
export const DEV_SECRET_KEY = readSecretKey();

export async function otherKeyPair(): Promise<{ publicKey: string; secretKey: string }> {
  return generateSigningKeyPair();
}

export interface MemoryLogger {
  readonly logger: Logger;
  readonly lines: () => Record<string, unknown>[];
}

export function memoryLogger(): MemoryLogger {
  const chunks: string[] = [];
  const sink = new Writable({ write: (chunk: Buffer, _enc, cb) => (chunks.push(chunk.toString()), cb()) });
  return {
    logger: createLogger({ level: 'debug', destination: sink }),
    lines: () => chunks.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

export const quietLogger = (): Logger => createLogger({ level: 'silent' });

/** A copy of the committed model package in `dir`, to tamper with. */
export function copyModel(dir: string): string {
  const target = join(dir, 'model');
  cpSync(BUNDLED_MODEL_DIR, target, { recursive: true });
  return target;
}

export function editManifest(modelDir: string, edit: (manifest: Record<string, unknown>) => void): void {
  const file = join(modelDir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  edit(manifest);
  writeFileSync(file, JSON.stringify(manifest, null, 2));
}

export async function resignManifest(modelDir: string, secretKey = DEV_SECRET_KEY): Promise<void> {
  const file = join(modelDir, 'manifest.json');
  await writeSignedDocument('model', file, JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>, secretKey);
}

export function serviceOptions(stateDir: string, overrides: Partial<InferenceOptions> = {}): InferenceOptions {
  return {
    modelDir: BUNDLED_MODEL_DIR,
    adaptersDir: join(stateDir, 'adapters'),
    bundledAdaptersDir: BUNDLED_ADAPTERS_DIR,
    fleetPublicKey: DEV_PUBLIC_KEY,
    stateDir,
    logger: quietLogger(),
    providers: ['cpu'],
    ...overrides,
  };
}

export const openService = (stateDir: string, overrides: Partial<InferenceOptions> = {}): Promise<InferenceService> =>
  InferenceService.open(serviceOptions(stateDir, overrides));

/** A synthetic case as the runtime's row, pooled audio and image included. */
export function rowOf(pkg: ModelPackage, c: SyntheticCase): EncodedRow {
  const vitals = Object.fromEntries(VITAL_FEATURES.map((f) => [f.source.field, c.vitals?.[f.name]]));
  const row = encodeRow(pkg, { vitals, text: c.text });
  if (c.audio) row.audio.set(c.audio);
  if (c.image) row.image.set(c.image);
  row.modalityMask.set([c.vitals ? 1 : 0, c.text ? 1 : 0, c.audio ? 1 : 0, c.image ? 1 : 0]);
  return row;
}

const COMPLAINT_WORDS = ['chest', 'pain', 'shortness', 'of', 'breath', 'fever', 'cough', 'fall', 'headache', 'seizure', 'bleeding', 'rash', 'confused', 'wheeze', 'child', 'burn', 'vomiting', 'overdose'];

/** Random but valid `infer` input: any subset of vitals within their accepted ranges, maybe a complaint. */
export function randomInput(seed: number, specialties: readonly string[] = []): InferInput {
  const r = createRandom(seed);
  const maybe = <T>(p: number, make: () => T): T | undefined => (r.chance(p) ? make() : undefined);
  const input: InferInput = {
    heartRate: maybe(0.8, () => Math.round(r.uniform(20, 220))),
    respiratoryRate: maybe(0.7, () => Math.round(r.uniform(0, 60))),
    systolicBP: maybe(0.7, () => Math.round(r.uniform(40, 240))),
    diastolicBP: maybe(0.5, () => Math.round(r.uniform(20, 140))),
    spo2: maybe(0.7, () => Math.round(r.uniform(60, 100))),
    temperature: maybe(0.5, () => Math.round(r.uniform(30, 42) * 10) / 10),
    onOxygen: maybe(0.3, () => r.chance(0.5)),
    consciousness: maybe(0.4, () => r.pick(['A', 'C', 'V', 'P', 'U'] as const)),
    gcs: maybe(0.3, () => ({ eye: 1 + r.int(4), verbal: 1 + r.int(5), motor: 1 + r.int(6) })),
    ageYears: maybe(0.8, () => Math.round(r.uniform(0, 100))),
    painScore: maybe(0.4, () => r.int(11)),
    bloodGlucose: maybe(0.3, () => Math.round(r.uniform(20, 500))),
    complaint: maybe(0.8, () => Array.from({ length: 2 + r.int(6) }, () => r.pick(COMPLAINT_WORDS)).join(' ')),
    specialty: specialties.length > 0 ? maybe(0.7, () => r.pick(specialties)) : undefined,
  };
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as InferInput;
}

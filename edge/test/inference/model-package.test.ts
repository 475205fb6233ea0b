import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BUNDLED_MODEL_DIR, InferenceService, isInferenceError, loadModelPackage, parseFleetPublicKey, sha256Hex, type InferenceErrorCode,
} from '../../src/inference/index.js';
import { useTempDirs } from '../support/temp.js';
import { copyModel, DEV_PUBLIC_KEY, editManifest, openService, otherKeyPair, resignManifest } from './fixtures.js';

const devKey = parseFleetPublicKey(DEV_PUBLIC_KEY);

async function refusal(promise: Promise<unknown>): Promise<{ code: InferenceErrorCode; message: string; issues: readonly { field: string; problem: string }[] }> {
  try {
    await promise;
  } catch (error) {
    if (isInferenceError(error)) return { code: error.code, message: error.message, issues: error.issues };
    throw error;
  }
  throw new Error('the package was accepted');
}

type Tamper = (modelDir: string) => Promise<void> | void;

const flipByte = (file: string, offset: number): void => {
  const bytes = readFileSync(file);
  bytes[offset] = (bytes[offset] ?? 0) ^ 0x01;
  writeFileSync(file, bytes);
};

describe('model package verification', () => {
  const tempDir = useTempDirs();

  it('accepts the committed package: signed by the development fleet key, every file matching its sha256', async () => {
    const pkg = await loadModelPackage(BUNDLED_MODEL_DIR, devKey);
    expect(pkg.sha256).toBe(sha256Hex(pkg.model));
    expect(pkg.manifest.id).toBe('hema3n-core');
    expect(pkg.tokenizer.vocab.length).toBe(pkg.manifest.tokenizer.vocabSize);
  });

  const cases: [string, Tamper, InferenceErrorCode, RegExp][] = [
    ['a flipped byte in model.onnx', (d) => flipByte(join(d, 'model.onnx'), 4000), 'MODEL_INTEGRITY_FAILED', /model\.onnx/],
    ['a flipped byte in vocab.txt', (d) => flipByte(join(d, 'vocab.txt'), 10), 'MODEL_INTEGRITY_FAILED', /vocab\.txt/],
    ['a missing model.onnx', (d) => rmSync(join(d, 'model.onnx')), 'MODEL_INTEGRITY_FAILED', /missing/],
    ['a manifest edited after signing', (d) => editManifest(d, (m) => { m.version = '9.9.9'; }), 'MODEL_SIGNATURE_INVALID', /altered after it was signed/],
    ['a manifest with the signature removed', (d) => editManifest(d, (m) => { delete m.signature; }), 'MODEL_SIGNATURE_INVALID', /not signed/],
    ['a manifest signed by another key', async (d) => resignManifest(d, (await otherKeyPair()).secretKey), 'MODEL_SIGNATURE_INVALID', /trusts fleet key/],
    ['a manifest whose model sha256 disagrees with its file list, re-signed', async (d) => {
      editManifest(d, (m) => { m.sha256 = '0'.repeat(64); });
      await resignManifest(d);
    }, 'MODEL_INTEGRITY_FAILED', /role "model"/],
    ['a manifest whose vitals width disagrees with its feature list, re-signed', async (d) => {
      editManifest(d, (m) => { (m.inputs as { shape: unknown[] }[])[0]!.shape = ['batch', 23]; });
      await resignManifest(d);
    }, 'MODEL_CONTRACT_MISMATCH', /vitals/],
    ['a manifest asking for 80 mel bands, re-signed', async (d) => {
      editManifest(d, (m) => { (m.features as { audio: { melBands: number } }).audio.melBands = 80; });
      await resignManifest(d);
    }, 'MODEL_CONTRACT_MISMATCH', /mel bands/],
    ['a manifest that is not JSON', (d) => writeFileSync(join(d, 'manifest.json'), '{ not json'), 'MODEL_PACKAGE_INVALID', /not JSON/],
  ];

  it.each(cases)('refuses %s with the reason', async (_what, tamper, code, reason) => {
    const dir = copyModel(tempDir());
    await tamper(dir);
    const refused = await refusal(loadModelPackage(dir, devKey));
    expect(refused.code).toBe(code);
    expect(`${refused.message} ${refused.issues.map((i) => `${i.field} ${i.problem}`).join(' ')}`).toMatch(reason);
  });

  it('refuses a package whose ONNX graph differs from its re-signed manifest when the session opens', async () => {
    const state = tempDir();
    const dir = copyModel(state);
    editManifest(dir, (m) => { (m.outputs as { name: string; shape: unknown[] }[]).find((o) => o.name === 'fusion_features')!.shape = ['batch', 65]; });
    await resignManifest(dir);
    const refused = await refusal(openService(state, { modelDir: dir }));
    expect(refused.code).toBe('MODEL_CONTRACT_MISMATCH');
    expect(refused.issues.map((i) => i.problem).join()).toMatch(/fusion_features is float32 \[batch, 64\] in the graph/);
  });

  it('refuses a fleet key that is not a 32-byte key as a configuration fault', async () => {
    await expect(openService(tempDir(), { fleetPublicKey: 'not-a-key' })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });
});

describe('a refused package never replaces the running model', () => {
  const tempDir = useTempDirs();
  let state: string;
  let service: InferenceService;
  const input = { heartRate: 128, respiratoryRate: 26, spo2: 90, systolicBP: 92, complaint: 'fever and cough' };

  beforeEach(async () => {
    state = tempDir();
    service = await openService(state);
  });
  afterEach(() => service.close());

  it.each([
    ['a tampered model byte', (d: string) => flipByte(join(d, 'model.onnx'), 5000), 'MODEL_INTEGRITY_FAILED'],
    ['a tampered manifest', (d: string) => editManifest(d, (m) => { m.statement = 'validated for clinical use'; }), 'MODEL_SIGNATURE_INVALID'],
    ['a package signed with the wrong key', async (d: string) => resignManifest(d, (await otherKeyPair()).secretKey), 'MODEL_SIGNATURE_INVALID'],
  ] as const)('keeps serving the loaded model after refusing %s', async (_what, tamper, code) => {
    const before = await service.infer(input);
    const dir = copyModel(tempDir());
    await tamper(dir);
    expect((await refusal(service.reloadModel(dir))).code).toBe(code);
    const after = await service.infer(input);
    expect(after.model).toEqual(before.model);
    expect(after.conditions).toEqual(before.conditions);
    expect(service.describe()).toMatchObject({ model: { sha256: sha256Hex(readFileSync(join(BUNDLED_MODEL_DIR, 'model.onnx'))) } });
  });

  it('switches to a package that passes every check', async () => {
    const dir = copyModel(tempDir());
    editManifest(dir, (m) => { m.version = '0.1.1-test'; });
    await resignManifest(dir);
    await service.reloadModel(dir);
    expect((await service.infer(input)).model.version).toBe('0.1.1-test');
  });
});

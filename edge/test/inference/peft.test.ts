import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InferenceSession } from 'onnxruntime-node';
import { isInferenceError, type InferenceService } from '../../src/inference/index.js';
import { encodeCases, loraInputsFromPeft, loraScale, openSession, runModel, synthesiseCases } from '../../../models/build/index.js';
import { writePeftPackage, type PeftAdapter } from '../../../lora-adapters/build/package.js';
import { useTempDirs } from '../support/temp.js';
import { BASE_MODEL_SHA256, randomMatrix } from './adapter-fixtures.js';
import { DEV_SECRET_KEY, openService, rowOf } from './fixtures.js';

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => Array.from(a).reduce((m, x, i) => Math.max(m, Math.abs(x - (b[i] ?? 0))), 0);
const RANK = 3;
const ALPHA = 6;

/** A PEFT adapter of both targets, as save_pretrained writes it: lora_A [r, in], lora_B [out, r]. */
const PEFT: PeftAdapter = {
  rank: RANK,
  alpha: ALPHA,
  modules: new Map([
    ['fusion', { in: 96, out: 64, A: randomMatrix(51, RANK * 96, 0.3), B: randomMatrix(52, 64 * RANK, 0.3) }],
    ['condition_hidden', { in: 64, out: 32, A: randomMatrix(53, RANK * 64, 0.3), B: randomMatrix(54, 32 * RANK, 0.3) }],
  ]),
};

const meta = (version: string) => ({ name: 'peft-dermatology', specialty: 'dermatology', version, baseModelSha256: BASE_MODEL_SHA256 });

describe('PEFT adapters', () => {
  const tempDir = useTempDirs();
  let service: InferenceService;
  let session: InferenceSession;

  beforeAll(async () => {
    service = await openService(tempDir());
    session = await openSession(service.runtime.pkg.model);
  });
  afterAll(async () => {
    await session.release();
    await service.close();
  });

  it('maps adapter_config.json and adapter_model.safetensors through the manifest name map to the same outputs as the reference conversion', async () => {
    const dir = tempDir();
    await writePeftPackage(dir, meta('peft-1'), PEFT, DEV_SECRET_KEY);
    const installed = await service.adapters.install(dir);
    expect(installed).toMatchObject({ specialty: 'dermatology', format: 'peft', rank: RANK, alpha: ALPHA, targets: ['fusion', 'condition_hidden'] });

    const cases = synthesiseCases(61, 16);
    const pkg = service.runtime.pkg;
    const actual = await service.runtime.runBatch(cases.map((c) => rowOf(pkg, c)), service.adapters.resolve('dermatology').feeds);
    const layers = Object.fromEntries([...PEFT.modules].map(([module, w]) => [module, loraInputsFromPeft(module, { A: w.A, B: w.B, rank: RANK })]));
    const expected = await runModel(session, encodeCases(cases, pkg.tokenizer), { layers, scale: loraScale(ALPHA, RANK) });
    const base = await runModel(session, encodeCases(cases, pkg.tokenizer));
    const flat = (rows: typeof actual, pick: (r: (typeof actual)[number]) => Float32Array): Float32Array => Float32Array.from(rows.flatMap((r) => [...pick(r)]));
    expect(maxDiff(flat(actual, (r) => r.conditionLogits), expected.conditionLogits)).toBeLessThan(1e-5);
    expect(maxDiff(flat(actual, (r) => r.triageLogits), expected.triageLogits)).toBeLessThan(1e-5);
    // The fusion adapter moves the triage head too: both targets were applied.
    expect(maxDiff(expected.triageLogits, base.triageLogits)).toBeGreaterThan(0.05);
  });

  it('accepts the older PEFT key spelling lora_A.default.weight with the same result', async () => {
    const [current, legacy] = [tempDir(), tempDir()];
    await writePeftPackage(current, meta('peft-2'), PEFT, DEV_SECRET_KEY);
    await writePeftPackage(legacy, meta('peft-2-legacy'), { ...PEFT, legacyKeys: true }, DEV_SECRET_KEY);
    const tensors = async (dir: string): Promise<Float32Array[]> => {
      await service.adapters.install(dir);
      return Object.values(service.adapters.resolve('dermatology').feeds.tensors).map((t) => t.data as Float32Array);
    };
    expect(await tensors(legacy)).toEqual(await tensors(current));
  });

  it('refuses a PEFT adapter with a module the model does not adapt', async () => {
    const dir = tempDir();
    const modules = new Map(PEFT.modules).set('triage_head', { in: 64, out: 5, A: new Float32Array(RANK * 64), B: new Float32Array(5 * RANK) });
    await writePeftPackage(dir, meta('peft-3'), { ...PEFT, modules }, DEV_SECRET_KEY);
    const error = await service.adapters.install(dir).catch((e: unknown) => e);
    expect(isInferenceError(error) && error.code).toBe('ADAPTER_SHAPE_INVALID');
    expect(isInferenceError(error) && error.issues.map((i) => i.field)).toEqual(['base_model.model.triage_head.lora_A.weight', 'base_model.model.triage_head.lora_B.weight']);
  });
});

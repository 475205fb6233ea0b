import { readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AdapterRegistry, isInferenceError, type InferenceErrorCode, type InferenceService, type ModelPackage } from '../../src/inference/index.js';
import { useTempDirs } from '../support/temp.js';
import { copyAdapter, editAdapter, headTensors, rawAdapter } from './adapter-fixtures.js';
import { DEV_PUBLIC_KEY, openService, otherKeyPair, quietLogger, randomInput } from './fixtures.js';
import { parseFleetPublicKey } from '../../src/inference/index.js';

async function refusal(promise: Promise<unknown>): Promise<{ code: InferenceErrorCode; text: string }> {
  try {
    await promise;
  } catch (error) {
    if (isInferenceError(error)) return { code: error.code, text: `${error.message} ${error.issues.map((i) => `${i.field} ${i.problem}`).join(' ')}` };
    throw error;
  }
  throw new Error('the adapter was accepted');
}

type Make = (dir: string, model: ModelPackage) => Promise<string>;

const REFUSALS: [string, Make, InferenceErrorCode, RegExp][] = [
  ['an unsigned adapter', async (d) => { const a = await copyAdapter('cardiology', d); await editAdapter(a, (doc) => { delete doc.signature; }, null); return a; }, 'ADAPTER_SIGNATURE_INVALID', /not signed/],
  ['an adapter.json edited after signing', async (d) => { const a = await copyAdapter('cardiology', d); await editAdapter(a, (doc) => { doc.alpha = 80; }, null); return a; }, 'ADAPTER_SIGNATURE_INVALID', /altered after it was signed/],
  ['an adapter signed by another key', async (d) => { const a = await copyAdapter('cardiology', d); const other = await otherKeyPair(); await editAdapter(a, () => undefined, other.secretKey); return a; }, 'ADAPTER_SIGNATURE_INVALID', /trusts fleet key/],
  ['weights altered after signing', async (d) => {
    const a = await copyAdapter('cardiology', d);
    const file = join(a, 'adapter.safetensors');
    const bytes = readFileSync(file);
    bytes[bytes.length - 3] = (bytes[bytes.length - 3] ?? 0) ^ 0x40;
    writeFileSync(file, bytes);
    return a;
  }, 'ADAPTER_CORRUPT', /differs from its sha256/],
  ['a missing adapter.json', async (d) => { const a = await copyAdapter('cardiology', d); rmSync(join(a, 'adapter.json')); return a; }, 'ADAPTER_CORRUPT', /no readable adapter\.json/],
  ['weights that are not safetensors (hashed and signed)', (d) => rawAdapter(join(d, 'x'), {}, {}, new Uint8Array([200, 0, 0, 0, 0, 0, 0, 0, 123])), 'ADAPTER_CORRUPT', /not a valid safetensors/],
  ['an adapter for another base model', async (d) => { const a = await copyAdapter('cardiology', d); await editAdapter(a, (doc) => { doc.baseModelSha256 = 'a'.repeat(64); }); return a; }, 'ADAPTER_BASE_MISMATCH', /another base model/],
  ['an adapter for a specialty the model does not have', (d) => rawAdapter(join(d, 'x'), headTensors(4), { specialty: 'oncology' }), 'ADAPTER_BASE_MISMATCH', /no specialty oncology/],
  ['a B matrix of the wrong width', (d) => rawAdapter(join(d, 'x'), { ...headTensors(4), lora_condition_hidden_B: { shape: [4, 31], data: new Float32Array(124) } }, {}), 'ADAPTER_SHAPE_INVALID', /lora_condition_hidden_B must be \[4, 32\]/],
  ['tensors of another rank than adapter.json says', (d) => rawAdapter(join(d, 'x'), headTensors(2), { rank: 4 }), 'ADAPTER_SHAPE_INVALID', /must be \[64, 4\]/],
  ['a rank above the graph rank', (d) => rawAdapter(join(d, 'x'), headTensors(9), { rank: 9 }), 'ADAPTER_SHAPE_INVALID', /the model takes at most 8/],
  ['a tensor for a layer the model does not adapt', (d) => rawAdapter(join(d, 'x'), { ...headTensors(4), lora_triage_A: { shape: [64, 4], data: new Float32Array(256) } }, {}), 'ADAPTER_SHAPE_INVALID', /lora_triage_A is not a LoRA input/],
  ['weights that are not finite numbers', (d) => {
    const tensors = headTensors(4);
    tensors.lora_condition_hidden_A!.data[7] = Number.NaN;
    return rawAdapter(join(d, 'x'), tensors, {});
  }, 'ADAPTER_SHAPE_INVALID', /not finite/],
  ['targets that do not match the tensors', (d) => rawAdapter(join(d, 'x'), headTensors(4), { targets: ['fusion'] }), 'ADAPTER_SHAPE_INVALID', /exactly the layers/],
];

describe('adapter refusals', () => {
  const tempDir = useTempDirs();
  let service: InferenceService;
  let state: string;

  beforeEach(async () => {
    state = tempDir();
    service = await openService(state);
    await service.adapters.install(await copyAdapter('cardiology', tempDir(), '1.1.0'));
  });
  afterEach(() => service.close());

  it.each(REFUSALS)('refuses %s with the reason and keeps the installed version serving', async (_what, make, code, reason) => {
    const refused = await refusal(service.adapters.install(await make(tempDir(), service.runtime.pkg)));
    expect(refused.code).toBe(code);
    expect(refused.text).toMatch(reason);
    expect(service.adapters.resolve('cardiology')).toMatchObject({ version: '1.1.0', source: 'installed' });
    expect((await service.infer({ heartRate: 90, complaint: 'chest pain', specialty: 'cardiology' })).adapter).toEqual({ specialty: 'cardiology', version: '1.1.0' });
  });

  it('refuses an unknown specialty in a request, listing the ones it can serve', async () => {
    const refused = await refusal(service.infer({ complaint: 'lump', specialty: 'oncology' }));
    expect(refused.code).toBe('ADAPTER_NOT_FOUND');
    expect(refused.text).toMatch(/available: cardiology, dermatology, emergency/);
  });

  it('lists a refused package found on disk with its reason instead of serving it', async () => {
    const installed = join(state, 'adapters', 'cardiology');
    await editAdapter(installed, (doc) => { doc.baseModelSha256 = 'b'.repeat(64); });
    await service.adapters.refresh();
    expect(service.adapters.refused()).toEqual([expect.objectContaining({ specialty: 'cardiology', source: 'installed', code: 'ADAPTER_BASE_MISMATCH' })]);
    // The bundled adapter serves the specialty meanwhile.
    expect(service.adapters.resolve('cardiology')).toMatchObject({ source: 'bundled', version: '1.0.0' });
  });
});

describe('installing and removing adapters', () => {
  const tempDir = useTempDirs();
  let service: InferenceService;
  let state: string;

  beforeEach(async () => {
    state = tempDir();
    service = await openService(state);
  });
  afterEach(() => service.close());

  it('serves the installed version over the bundled one, keeps the replaced one for rollback, and falls back to bundled on remove', async () => {
    const root = join(state, 'adapters');
    await service.adapters.install(await copyAdapter('neurology', tempDir(), '1.1.0'));
    await service.adapters.install(await copyAdapter('neurology', tempDir(), '1.2.0'));
    expect(service.adapters.resolve('neurology')).toMatchObject({ version: '1.2.0', source: 'installed' });
    expect(readlinkSync(join(root, 'neurology'))).toMatch(/^\.versions\/neurology@1\.2\.0@/);
    expect(readlinkSync(join(root, '.previous', 'neurology'))).toMatch(/neurology@1\.1\.0@/);
    const removal = await service.adapters.remove('neurology');
    expect(removal).toMatchObject({ specialty: 'neurology', removedVersion: '1.2.0', nowServing: { version: '1.0.0', source: 'bundled' } });
    expect(readlinkSync(join(root, '.previous', 'neurology'))).toMatch(/neurology@1\.2\.0@/);
    await expect(service.adapters.remove('neurology')).rejects.toMatchObject({ code: 'ADAPTER_NOT_FOUND' });
  });

  it('sees what another process installed once it refreshes', async () => {
    const cli = new AdapterRegistry({
      model: service.runtime.pkg, installedDir: join(state, 'adapters'), bundledDir: null, fleetKey: parseFleetPublicKey(DEV_PUBLIC_KEY), logger: quietLogger(),
    });
    await cli.load();
    await cli.install(await copyAdapter('psychiatry', tempDir(), '3.0.0'));
    expect(service.adapters.resolve('psychiatry').version).toBe('1.0.0');
    await service.adapters.refresh();
    expect(service.adapters.resolve('psychiatry')).toMatchObject({ version: '3.0.0', source: 'installed' });
  });

  it('installs and removes adapters while requests run, failing none of them', async () => {
    const [cardiology, neurology] = [await copyAdapter('cardiology', tempDir(), '2.0.0-test'), await copyAdapter('neurology', tempDir(), '2.0.0-test')];
    let churning = true;
    const seen = new Set<string>();
    let failures = 0;
    let served = 0;
    const client = async (offset: number): Promise<void> => {
      for (let i = 0; churning; i++) {
        const specialty = ['cardiology', 'neurology', undefined][(i + offset) % 3];
        try {
          const result = await service.infer({ ...randomInput(offset * 10_000 + i), specialty });
          if (result.adapter) seen.add(`${result.adapter.specialty}@${result.adapter.version}`);
          served++;
        } catch {
          failures++;
        }
      }
    };
    const churn = async (): Promise<void> => {
      for (let round = 0; round < 6; round++) {
        await service.adapters.install(cardiology);
        await service.adapters.install(neurology);
        await service.adapters.remove('cardiology');
        await service.adapters.remove('neurology');
      }
      churning = false;
    };
    await Promise.all([churn(), client(1), client(2), client(3), client(4)]);
    expect(failures).toBe(0);
    expect(served).toBeGreaterThan(24);
    // Both the bundled and the installed versions served requests while the swaps went on.
    expect(seen).toEqual(new Set(['cardiology@1.0.0', 'cardiology@2.0.0-test', 'neurology@1.0.0', 'neurology@2.0.0-test']));
  });
});

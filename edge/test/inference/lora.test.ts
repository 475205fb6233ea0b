import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeRow, softmax, type InferenceService, type ModelPackage, type RowOutputs } from '../../src/inference/index.js';
import { synthesiseCases } from '../../../models/build/index.js';
import { conditionLogits, readConditionHead } from '../../../lora-adapters/build/condition-head.js';
import { useTempDirs } from '../support/temp.js';
import { openService, rowOf } from './fixtures.js';

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => Array.from(a).reduce((m, x, i) => Math.max(m, Math.abs(x - (b[i] ?? 0))), 0);

describe('LoRA adapters as graph inputs', () => {
  const tempDir = useTempDirs();
  let service: InferenceService;
  let pkg: ModelPackage;

  beforeAll(async () => {
    service = await openService(tempDir());
    pkg = service.runtime.pkg;
  });
  afterAll(() => service.close());

  it('changes condition logits exactly as a TypeScript reference of the INT8 condition head with the adapter predicts', async () => {
    const head = readConditionHead(pkg.model);
    const rows = synthesiseCases(31, 24).map((c) => rowOf(pkg, c));
    const adapter = service.adapters.resolve('cardiology');
    const layer = adapter.layers.get('condition_hidden')!;
    const base = await service.runtime.runBatch(rows, service.runtime.zeroLora, ['fusion_features']);
    const adapted = await service.runtime.runBatch(rows, adapter.feeds, ['fusion_features']);
    let effect = 0;
    rows.forEach((_, n) => {
      const fusion = base[n]!.extra.fusion_features!;
      // The adapter sits on condition_hidden: the fusion layer and the triage head are untouched.
      expect(adapted[n]!.extra.fusion_features).toEqual(fusion);
      expect(adapted[n]!.triageLogits).toEqual(base[n]!.triageLogits);
      expect(maxDiff(base[n]!.conditionLogits, conditionLogits(head, fusion))).toBeLessThan(1e-4);
      const expected = conditionLogits(head, fusion, { A: layer.A, B: layer.B, rank: layer.rank, scale: adapter.scale });
      expect(maxDiff(adapted[n]!.conditionLogits, expected)).toBeLessThan(1e-4);
      effect = Math.max(effect, maxDiff(adapted[n]!.conditionLogits, base[n]!.conditionLogits));
    });
    expect(effect).toBeGreaterThan(0.1);
  });

  it('feeds alpha / r as the scale and pads rank 4 to the graph rank with zeros', () => {
    const adapter = service.adapters.resolve('neurology');
    expect(adapter.scale).toBe(adapter.alpha / adapter.rank);
    const A = adapter.feeds.tensors.lora_condition_hidden_A!;
    expect(A.dims).toEqual([64, 8]);
    const data = A.data as Float32Array;
    for (let i = 0; i < 64; i++) for (let k = adapter.rank; k < 8; k++) expect(data[i * 8 + k]).toBe(0);
    expect(Array.from(adapter.feeds.tensors.lora_fusion_B!.data as Float32Array).every((v) => v === 0)).toBe(true);
  });

  it("shifts each of the nine reference adapters' own specialty up on synthetic cases it was not trained on", async () => {
    const cases = synthesiseCases(777, 2000);
    const rows = cases.map((c) => rowOf(pkg, c));
    const base = await service.runtime.runBatch(rows, service.runtime.zeroLora);
    const classes = pkg.manifest.labels.conditions.classes;
    expect(service.adapters.list().map((a) => a.specialty).sort()).toEqual([...pkg.manifest.labels.specialties].sort());
    for (const specialty of pkg.manifest.labels.specialties) {
      const own = new Set(classes.filter((c) => c.specialty === specialty).map((c) => c.index));
      const adapted = await service.runtime.runBatch(rows, service.adapters.resolve(specialty).feeds);
      const trueProbability = (outputs: RowOutputs[]): number => {
        const mine = cases.flatMap((c, n) => (own.has(c.condition) ? [softmax(outputs[n]!.conditionLogits)[c.condition]!] : []));
        return mine.reduce((a, b) => a + b, 0) / mine.length;
      };
      const specialtyMass = (outputs: RowOutputs[]): number =>
        outputs.reduce((sum, o) => sum + softmax(o.conditionLogits).reduce((s, p, k) => s + (own.has(k) ? p : 0), 0), 0) / outputs.length;
      expect(trueProbability(adapted), specialty).toBeGreaterThan(trueProbability(base));
      expect(specialtyMass(adapted), specialty).toBeGreaterThan(specialtyMass(base));
    }
  });

  it("reports the adapter in the result and lists the adapted model's top conditions", async () => {
    const input = { heartRate: 112, systolicBP: 150, spo2: 95, ageYears: 64, complaint: 'chest pain and sweating', specialty: 'cardiology' };
    const result = await service.infer(input);
    expect(result.adapter).toEqual({ specialty: 'cardiology', version: '1.0.0' });
    const row = encodeRow(pkg, { vitals: input, text: input.complaint });
    const [adapted] = await service.runtime.runBatch([row], service.adapters.resolve('cardiology').feeds);
    const probabilities = softmax(adapted!.conditionLogits);
    for (const c of result.conditions) {
      expect(c.probability).toBeCloseTo(probabilities[pkg.manifest.labels.conditions.classes.findIndex((k) => k.id === c.id)]!, 4);
    }
    expect(result.conditions.map((c) => c.probability)).toEqual([...result.conditions.map((c) => c.probability)].sort((a, b) => b - a));
  });
});

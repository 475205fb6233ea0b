import type { InferenceSession } from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONDITIONS, SPECIALTIES, VITAL_FEATURES, encodeCases, openSession, runModel, synthesiseCases } from '../build/index.js';
import { type Manifest, manifest, packageFile, packageTokenizer, sha256 } from './package-fixture.js';

describe('hema3n-core package', () => {
  let m: Manifest;
  let session: InferenceSession;

  beforeAll(async () => {
    m = manifest();
    session = await openSession(packageFile('model.onnx'));
  });

  it('ships a model.onnx whose sha256 is the manifest sha256', () => {
    expect(sha256(packageFile('model.onnx'))).toBe(m.sha256);
    expect(m.files.find((f) => f.role === 'model')?.sha256).toBe(m.sha256);
  });

  it('lists every shipped file with its real sha256 and size', () => {
    expect(m.files.map((f) => f.path).sort()).toEqual(['model.fp32.onnx', 'model.onnx', 'vocab.txt']);
    for (const file of m.files) {
      const bytes = packageFile(file.path);
      expect({ path: file.path, sha256: sha256(bytes), bytes: bytes.length }).toEqual({ path: file.path, sha256: file.sha256, bytes: file.bytes });
    }
  });

  it('declares itself a reference model with the plain statement and carries the fleet signature', () => {
    expect(m.id).toBe('hema3n-core');
    expect(m.version).toBe('0.1.0-reference');
    expect(m.referenceModel).toBe(true);
    expect(m.statement).toBe('reference model trained on synthetic data, not for clinical use');
    // Verified against the fleet key by edge/test/inference; here only its presence and form.
    expect(m).toHaveProperty('signature.algorithm', 'Ed25519');
    expect((m as unknown as { signature: { value: string } }).signature.value).toMatch(/^[A-Za-z0-9_-]{86}$/);
  });

  it('loads in onnxruntime-node with exactly the manifest inputs: names, dtypes and shapes', () => {
    const actual = session.inputMetadata.map((meta) => (meta.isTensor ? { name: meta.name, dtype: meta.type, shape: [...meta.shape] } : { name: meta.name }));
    expect(actual).toEqual(m.inputs.map((i) => ({ name: i.name, dtype: i.dtype, shape: i.shape })));
  });

  it('has exactly the manifest outputs: names, dtypes and shapes', () => {
    const actual = session.outputMetadata.map((meta) => (meta.isTensor ? { name: meta.name, dtype: meta.type, shape: [...meta.shape] } : { name: meta.name }));
    expect(actual).toEqual(m.outputs.map((o) => ({ name: o.name, dtype: o.dtype, shape: o.shape })));
  });

  it('returns outputs of the manifest shapes for a batch of three cases', async () => {
    const inputs = encodeCases(synthesiseCases(7, 3), packageTokenizer());
    const outputs = await runModel(session, inputs);
    const width = (name: string): number => Number(m.outputs.find((o) => o.name === name)?.shape[1]);
    expect(outputs.triageLogits.length).toBe(3 * width('triage_logits'));
    expect(outputs.conditionLogits.length).toBe(3 * width('condition_logits'));
    expect(outputs.confidence.length).toBe(3 * width('confidence'));
    expect([...outputs.confidence].every((p) => p >= 0 && p <= 1)).toBe(true);
  });

  it('describes every vitals feature with its source, normalisation, missing value and present flag', () => {
    const features = m.features.vitals.features;
    expect(features).toHaveLength(m.features.vitals.size);
    expect(features.map((f) => f.index)).toEqual(features.map((_, i) => i));
    VITAL_FEATURES.forEach((spec, i) => {
      expect(features[i]).toMatchObject({ name: spec.name, kind: 'value', mean: spec.mean, std: spec.std, missingValue: spec.missingValue, source: spec.source });
      const flag = features[Number(features[i]?.presentIndex)];
      expect(flag).toMatchObject({ kind: 'present', of: spec.name, valueIndex: i });
    });
  });

  it('labels the condition columns in model order and covers all nine specialties', () => {
    expect(m.labels.conditions.classes.map((c) => c.id)).toEqual(CONDITIONS.map((c) => c.id));
    expect(new Set(m.labels.conditions.classes.map((c) => c.specialty))).toEqual(new Set(SPECIALTIES));
    expect(m.labels.specialties).toHaveLength(9);
  });

  it('matches every LoRA target and PEFT key to graph inputs of shape [in, rank] and [rank, out]', () => {
    const inputShape = (name: string): readonly (number | string)[] | undefined => m.inputs.find((i) => i.name === name)?.shape;
    expect(m.lora.targets.length).toBeGreaterThanOrEqual(2);
    for (const t of m.lora.targets) {
      expect(inputShape(t.inputs.A.name)).toEqual([t.in, m.lora.rank]);
      expect(inputShape(t.inputs.B.name)).toEqual([m.lora.rank, t.out]);
    }
    expect(inputShape(m.lora.scaleInput)).toEqual([1]);
    expect(m.lora.peft.map.map((p) => [p.key, p.input])).toEqual(m.lora.targets.flatMap((t) => [
      [`base_model.model.${t.layer}.lora_A.weight`, t.inputs.A.name],
      [`base_model.model.${t.layer}.lora_B.weight`, t.inputs.B.name],
    ]));
  });

  it('records the tokenizer special tokens at their vocab.txt lines', () => {
    const vocab = packageFile('vocab.txt').toString('utf8').split('\n');
    expect(m.tokenizer.vocabSize).toBe(vocab.filter((line) => line !== '').length);
    for (const { token, id } of Object.values(m.tokenizer.specialTokens)) expect(vocab[id]).toBe(token);
  });
});

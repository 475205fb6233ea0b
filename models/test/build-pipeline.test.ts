import { describe, expect, it } from 'vitest';
import {
  ARCHITECTURE, AUDIO_SIZE, IMAGE_SIZE, WordPieceTokenizer, buildClinicalVocabulary, calibrateActivations, createNetwork, createRandom,
  encodeCases, exportOnnx, featureStandardisation, forward, openSession, runModel, synthesiseCases, trainNetwork,
} from '../build/index.js';

/** The whole build on a tiny scale: cases -> one epoch of training -> calibrated QDQ export. */
function tinyBuild(seed: number): { fp32: Uint8Array; int8: Uint8Array; net: ReturnType<typeof createNetwork>; inputs: ReturnType<typeof encodeCases> } {
  const tokenizer = new WordPieceTokenizer(buildClinicalVocabulary());
  const cases = synthesiseCases(seed, 256);
  const inputs = encodeCases(cases, tokenizer);
  const net = createNetwork(createRandom(seed + 1), tokenizer.vocab.length, {
    audioNorm: featureStandardisation(inputs.audio, inputs.modalityMask, 2, AUDIO_SIZE),
    imageNorm: featureStandardisation(inputs.image, inputs.modalityMask, 3, IMAGE_SIZE),
  });
  const targets = { triage: Int32Array.from(cases, (c) => c.esi - 1), condition: Int32Array.from(cases, (c) => c.condition) };
  trainNetwork(net, inputs, targets, { epochs: 1, batchSize: 64, learningRate: 3e-3, weightDecay: 1e-4, confidenceWeight: 0.5 }, createRandom(seed + 2));
  const meta = { version: 'test', seqLength: tokenizer.maxLength, metadata: {} };
  return { fp32: exportOnnx(net, null, meta), int8: exportOnnx(net, calibrateActivations(net, inputs), meta), net, inputs };
}

describe('reference model build steps', () => {
  it('produce the same model bytes from the same seed and different bytes from another seed', () => {
    const first = tinyBuild(5);
    const again = tinyBuild(5);
    expect(Buffer.from(again.int8).equals(Buffer.from(first.int8))).toBe(true);
    expect(Buffer.from(again.fp32).equals(Buffer.from(first.fp32))).toBe(true);
    expect(Buffer.from(tinyBuild(6).int8).equals(Buffer.from(first.int8))).toBe(false);
  });

  it('export a float32 graph that computes what the TypeScript network computes', async () => {
    const { fp32, net, inputs } = tinyBuild(9);
    const reference = forward(net, inputs);
    const outputs = await runModel(await openSession(fp32), inputs);
    const diff = (a: ArrayLike<number>, b: ArrayLike<number>): number => Array.from(a).reduce((m, x, i) => Math.max(m, Math.abs(x - (b[i] ?? 0))), 0);
    expect(diff(outputs.triageLogits, reference.triageLogits)).toBeLessThan(1e-4);
    expect(diff(outputs.conditionLogits, reference.conditionLogits)).toBeLessThan(1e-4);
    expect(diff(outputs.fusionFeatures, reference.fusion)).toBeLessThan(1e-4);
    expect(outputs.fusionFeatures.length).toBe(inputs.batch * ARCHITECTURE.fusion);
  });
});

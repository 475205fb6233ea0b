import type { InferenceSession } from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type LoraWeights, type ModelInputs, type ModelOutputs, createRandom, encodeCases, loraInputsFromPeft, loraScale, openSession,
  runModel, synthesiseCases,
} from '../build/index.js';
import { initializers, packageFile, packageTokenizer } from './package-fixture.js';

const model = packageFile('model.onnx');
const weights = initializers(model);
const tensor = (name: string): Float32Array | Int8Array | Uint8Array => {
  const t = weights.get(name);
  if (!t) throw new Error(`model has no initializer ${name}`);
  return t.data;
};

/** ONNX QuantizeLinear then DequantizeLinear (uint8, round half to even, saturate). */
function fakeQuantize(x: number, scale: number, zeroPoint: number): number {
  const v = Math.fround(x / scale);
  const floor = Math.floor(v);
  const diff = v - floor;
  const rounded = diff > 0.5 || (diff === 0.5 && floor % 2 !== 0) ? floor + 1 : floor;
  return (Math.min(255, Math.max(0, rounded + zeroPoint)) - zeroPoint) * scale;
}

/** y = DQ(Q(x)) DQ(W) + b for one row, weights read from the committed QDQ model. */
function quantizedLinear(layer: string, activation: string, x: Float64Array): Float64Array {
  const q = tensor(`${layer}.weight_quantized`);
  const scales = tensor(`${layer}.weight_scale`);
  const bias = tensor(`${layer}.bias`);
  const [scale, zeroPoint] = [tensor(`${activation}.act_scale`)[0] ?? 1, tensor(`${activation}.act_zero_point`)[0] ?? 0];
  const outputs = bias.length;
  const y = Float64Array.from(bias);
  x.forEach((xi, i) => {
    const xq = fakeQuantize(xi, scale, zeroPoint);
    for (let o = 0; o < outputs; o++) y[o] = (y[o] ?? 0) + xq * (q[i * outputs + o] ?? 0) * (scales[o] ?? 0);
  });
  return y;
}

/** TypeScript reference of the condition head with a PEFT-layout adapter on condition_hidden. */
function referenceConditionLogits(fusion: Float32Array, peft: { A: Float32Array; B: Float32Array; rank: number }, scale: number): Float64Array {
  const h = Float64Array.from(fusion);
  const hidden = quantizedLinear('condition_hidden', 'fusion', h);
  const down = new Float64Array(peft.rank);
  for (let k = 0; k < peft.rank; k++) h.forEach((hi, i) => { down[k] = (down[k] ?? 0) + hi * (peft.A[k * h.length + i] ?? 0); });
  hidden.forEach((z, o) => {
    let delta = 0;
    for (let k = 0; k < peft.rank; k++) delta += (down[k] ?? 0) * (peft.B[o * peft.rank + k] ?? 0);
    hidden[o] = Math.max(0, z + scale * delta);
  });
  return quantizedLinear('condition_out', 'condition_hidden', hidden);
}

const randomMatrix = (seed: number, length: number, scale: number): Float32Array => {
  const random = createRandom(seed);
  return Float32Array.from({ length }, () => random.normal() * scale);
};

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number =>
  Array.from(a).reduce((m, x, i) => Math.max(m, Math.abs(x - (b[i] ?? 0))), 0);

describe('LoRA inputs of the committed model', () => {
  let session: InferenceSession;
  let inputs: ModelInputs;
  let base: ModelOutputs;

  beforeAll(async () => {
    session = await openSession(model);
    inputs = encodeCases(synthesiseCases(41, 12), packageTokenizer());
    base = await runModel(session, inputs);
  });

  it('gives bit-identical outputs with zero A and B whatever the scale, and with any A and B at scale 0', async () => {
    const zerosAtScale4 = await runModel(session, inputs, { layers: {}, scale: 4 });
    const randomAtScale0: LoraWeights = {
      scale: 0,
      layers: {
        fusion: { A: randomMatrix(1, 96 * 8, 0.3), B: randomMatrix(2, 8 * 64, 0.3) },
        condition_hidden: { A: randomMatrix(3, 64 * 8, 0.3), B: randomMatrix(4, 8 * 32, 0.3) },
      },
    };
    const randomOff = await runModel(session, inputs, randomAtScale0);
    for (const outputs of [zerosAtScale4, randomOff]) {
      expect(outputs.triageLogits).toEqual(base.triageLogits);
      expect(outputs.conditionLogits).toEqual(base.conditionLogits);
      expect(outputs.confidence).toEqual(base.confidence);
    }
  });

  it('changes condition logits exactly as the TypeScript reference predicts for a rank-4 PEFT adapter on condition_hidden', async () => {
    const peft = { A: randomMatrix(11, 4 * 64, 0.2), B: randomMatrix(12, 32 * 4, 0.2), rank: 4 };
    const scale = loraScale(8, 4);
    const adapted = await runModel(session, inputs, { scale, layers: { condition_hidden: loraInputsFromPeft('condition_hidden', peft) } });

    expect(adapted.fusionFeatures).toEqual(base.fusionFeatures);
    expect(adapted.triageLogits).toEqual(base.triageLogits);
    expect(maxDiff(adapted.conditionLogits, base.conditionLogits)).toBeGreaterThan(0.1);
    for (let n = 0; n < inputs.batch; n++) {
      const expected = referenceConditionLogits(base.fusionFeatures.subarray(n * 64, (n + 1) * 64), peft, scale);
      expect(maxDiff(adapted.conditionLogits.subarray(n * 22, (n + 1) * 22), expected)).toBeLessThan(1e-4);
    }
  });

  it('applies a fusion adapter to the output columns its B matrix writes, and nowhere else', async () => {
    const column = 5;
    const B = new Float32Array(8 * 64);
    for (let k = 0; k < 8; k++) B[k * 64 + column] = 1;
    const adapted = await runModel(session, inputs, { scale: 2, layers: { fusion: { A: randomMatrix(21, 96 * 8, 0.5), B } } });
    for (let n = 0; n < inputs.batch; n++) {
      for (let j = 0; j < 64; j++) {
        if (j !== column) expect(adapted.fusionFeatures[n * 64 + j]).toBe(base.fusionFeatures[n * 64 + j]);
      }
    }
    expect(maxDiff(adapted.fusionFeatures, base.fusionFeatures)).toBeGreaterThan(0.1);
  });

  it('refuses adapters above the graph rank or of the wrong shape', () => {
    expect(() => loraInputsFromPeft('condition_hidden', { A: new Float32Array(9 * 64), B: new Float32Array(32 * 9), rank: 9 })).toThrow(/rank/);
    expect(() => loraInputsFromPeft('condition_hidden', { A: new Float32Array(4 * 96), B: new Float32Array(32 * 4), rank: 4 })).toThrow(/shapes/);
    expect(() => loraInputsFromPeft('triage_head', { A: new Float32Array(4), B: new Float32Array(4), rank: 1 })).toThrow(/no LoRA/);
  });
});

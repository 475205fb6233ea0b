import type { InferenceSession } from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type SyntheticCase, type Vitals, agreement, datasetSeeds, encodeCases, openSession, predictedEsi, runModel, synthesiseCases,
} from '../build/index.js';
import { manifest, packageFile, packageTokenizer } from './package-fixture.js';

const tokenizer = packageTokenizer();

describe('INT8 QDQ model against its float32 twin', () => {
  let int8: InferenceSession;
  let fp32: InferenceSession;

  beforeAll(async () => {
    int8 = await openSession(packageFile('model.onnx'));
    fp32 = await openSession(packageFile('model.fp32.onnx'));
  });

  it('agrees on ESI for >= 99% of the held-out cases, the same figure the manifest reports', async () => {
    const m = manifest();
    const heldOut = encodeCases(synthesiseCases(datasetSeeds(m.training.seed).heldOut, m.training.report.heldOutCases), tokenizer);
    const [q, f] = await Promise.all([runModel(int8, heldOut), runModel(fp32, heldOut)]);
    const triageAgreement = agreement(predictedEsi(q), predictedEsi(f));
    expect(triageAgreement).toBeGreaterThanOrEqual(0.99);
    expect(triageAgreement).toBe(m.training.report.triageAgreementInt8VsFp32);
  });

  it('records the calibration method and set size', () => {
    expect(manifest().quantization.activations).toMatchObject({ calibration: 'minmax', calibrationSetSize: 1000 });
  });
});

const patient = (vitals: Vitals | null, text: string | null): SyntheticCase => ({
  condition: 0, esi: 3, trueVitals: vitals ?? {}, vitals, text, audio: null, image: null, highRisk: false, immediate: false, resources: 0,
});

const CRASHING: Vitals = { heart_rate: 148, respiratory_rate: 36, systolic_bp: 68, diastolic_bp: 40, spo2: 81, gcs_total: 7, age_years: 58 };
const NORMAL: Vitals = {
  heart_rate: 72, respiratory_rate: 14, systolic_bp: 122, diastolic_bp: 78, spo2: 99, temperature: 36.8,
  gcs_total: 15, pain_score: 0, age_years: 34, supplemental_oxygen: 0,
};

describe('INT8 triage on clear-cut patients', () => {
  let int8: InferenceSession;
  beforeAll(async () => { int8 = await openSession(packageFile('model.onnx')); });

  it.each([
    { who: 'a crashing patient with vitals and text', p: patient(CRASHING, 'found unresponsive, barely breathing'), esi: [1, 2] },
    { who: 'a crashing patient with vitals only', p: patient(CRASHING, null), esi: [1, 2] },
    { who: 'chest pain radiating to the arm, vitals normal', p: patient(NORMAL, 'crushing chest pain radiating to left arm'), esi: [1, 2] },
    { who: 'a well patient asking for a prescription refill', p: patient(NORMAL, 'needs a prescription refill'), esi: [4, 5] },
    { who: 'a well patient with a sore throat', p: patient(NORMAL, 'sore throat for three days'), esi: [4, 5] },
  ])('gives $who ESI $esi', async ({ p, esi }) => {
    const [predicted] = predictedEsi(await runModel(int8, encodeCases([p], tokenizer)));
    expect(esi).toContain(predicted);
  });

  it('gives finite outputs when only the vitals are present (no text, audio or image)', async () => {
    const outputs = await runModel(int8, encodeCases([patient(NORMAL, null)], tokenizer));
    expect([...outputs.triageLogits, ...outputs.conditionLogits, ...outputs.confidence].every(Number.isFinite)).toBe(true);
  });
});

import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoreVitals } from '../../src/clinical/index.js';
import { isHema3nError } from '../../src/errors.js';
import {
  imageTensorSpecFromManifest, melSpecFromManifest, mergeLevels, parseInferInput, type InferenceService, type InferInput,
} from '../../src/inference/index.js';
import { DEFAULT_AUDIO_LIMITS, DEFAULT_IMAGE_LIMITS, processAudio, processImage } from '../../src/media/index.js';
import { useTempDirs } from '../support/temp.js';
import { openService, randomInput } from './fixtures.js';

describe('merging the model with the rule floor', () => {
  it.each([
    [3, 2, 2, 'model-higher'],
    [3, 1, 1, 'model-higher'],
    [2, 2, 2, null],
    [2, 4, 2, 'model-lower-ignored'],
    [1, 5, 1, 'model-lower-ignored'],
  ] as const)('rules ESI %i and model ESI %i give ESI %i (%s)', (rule, model, level, disagreement) => {
    expect(mergeLevels(rule, model)).toEqual({ level, disagreement });
  });
});

const SCORE_ONLY = (input: InferInput): InferInput => {
  const { diastolicBP: _d, bloodGlucose: _g, complaint: _c, notes: _n, specialty: _s, ...score } = input;
  return score;
};

describe('inference results', () => {
  const tempDir = useTempDirs();
  let service: InferenceService;

  beforeAll(async () => {
    service = await openService(tempDir());
  });
  afterAll(() => service.close());

  it('never lowers acuity below the rule floor, over many random inputs with and without adapters', async () => {
    const specialties = service.adapters.list().map((a) => a.specialty);
    const seen = new Set<string | null>();
    for (let seed = 1; seed <= 400; seed++) {
      const input = randomInput(seed, specialties);
      const result = await service.infer(input);
      const rules = scoreVitals(SCORE_ONLY(input)).acuity;
      const { acuity } = result;
      expect(acuity.ruleLevel).toBe(rules.level);
      expect(acuity.level).toBeLessThanOrEqual(acuity.ruleLevel);
      expect(acuity.level).toBe(Math.min(acuity.ruleLevel, acuity.modelLevel));
      expect(acuity.disagreement).toBe(acuity.modelLevel < acuity.ruleLevel ? 'model-higher' : acuity.modelLevel > acuity.ruleLevel ? 'model-lower-ignored' : null);
      expect(acuity.reasons.slice(0, -1)).toEqual(rules.reasons);
      expect(acuity.reasons.at(-1)).toMatchObject({ rule: 'MODEL', text: expect.stringContaining(`ESI ${acuity.modelLevel}`) });
      expect(result.triage.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3);
      seen.add(acuity.disagreement);
    }
    // The property was exercised in all three situations.
    expect(seen).toEqual(new Set(['model-higher', 'model-lower-ignored', null]));
  });

  it('has the shape the CLI and the API promise', async () => {
    const result = await service.infer({ heartRate: 118, respiratoryRate: 24, spo2: 93, complaint: 'wheeze and cough', specialty: 'pulmonology' });
    expect(Object.keys(result).sort()).toEqual(['acuity', 'adapter', 'conditions', 'confidence', 'inputs', 'latencyMs', 'model', 'provider', 'triage'].sort());
    expect(result.triage.probabilities).toHaveLength(5);
    expect(result.conditions).toHaveLength(3);
    expect(result.conditions[0]).toEqual({ id: expect.any(String), display: expect.any(String), specialty: expect.any(String), probability: expect.any(Number) });
    expect(result.model).toEqual({ id: 'hema3n-core', version: '0.1.0-reference', referenceModel: true, statement: 'reference model trained on synthetic data, not for clinical use' });
    expect(result.provider).toBe('cpu');
    expect(result.latencyMs).toBeGreaterThan(0);
  });

  it('masks absent modalities and says which ones the model saw', async () => {
    expect((await service.infer({ heartRate: 80 })).inputs).toEqual(['vitals']);
    expect((await service.infer({ complaint: 'fell off a ladder' })).inputs).toEqual(['text']);
    expect((await service.infer({ notes: '   ' })).inputs).toEqual([]);
  });

  it('takes audio and image features from the media module, processed to the manifest spec', async () => {
    const m = service.runtime.pkg.manifest;
    const samples = Float32Array.from({ length: 16000 }, (_, i) => 0.3 * Math.sin((2 * Math.PI * 220 * i) / 16000));
    const audio = processAudio(pcm16Wav(samples, 16000), { ...DEFAULT_AUDIO_LIMITS, melSpec: melSpecFromManifest(m) });
    const png = await sharp({ create: { width: 320, height: 240, channels: 3, background: { r: 200, g: 40, b: 40 } } }).png().toBuffer();
    const image = await processImage(png, { ...DEFAULT_IMAGE_LIMITS, tensorSpec: imageTensorSpecFromManifest(m) });
    const withMedia = await service.infer({ heartRate: 80, audio, image });
    expect(withMedia.inputs).toEqual(['vitals', 'audio', 'image']);
    const without = await service.infer({ heartRate: 80 });
    expect(withMedia.conditions).not.toEqual(without.conditions);
  });

  it('refuses media features that do not fit the model, naming them', async () => {
    const logMel = { data: new Float32Array(80 * 5), frames: 5, nMels: 80 };
    await expect(service.infer({ heartRate: 80, audio: { logMel } })).rejects.toMatchObject({ code: 'INPUT_INVALID', issues: [{ field: 'audio.logMel' }] });
  });
});

/** 16-bit mono WAV. */
function pcm16Wav(samples: Float32Array, rate: number): Buffer {
  const data = Buffer.alloc(samples.length * 2);
  samples.forEach((s, i) => data.writeInt16LE(Math.round(s * 32767), i * 2));
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

describe('infer input', () => {
  it('names every bad field at once, model fields and score fields alike, without repeating values', () => {
    let issues: { field: string }[] = [];
    let message = '';
    try {
      parseInferInput({ heartRate: 'fast', diastolicBP: 500, complaint: 12, specialty: 'Cardio!', colour: 'blue', spo2: 140 });
    } catch (error) {
      if (!isHema3nError(error)) throw error;
      expect(error.code).toBe('INPUT_INVALID');
      issues = [...error.issues];
      message = error.message;
    }
    expect(issues.map((i) => i.field).sort()).toEqual(['colour', 'complaint', 'diastolicBP', 'heartRate', 'specialty', 'spo2']);
    expect(message).not.toMatch(/140|500|blue|Cardio!/);
  });

  it('treats null as not given and keeps the model fields', () => {
    expect(parseInferInput({ heartRate: 90, spo2: null, complaint: 'dizzy', specialty: 'neurology', bloodGlucose: 54 })).toEqual({
      heartRate: 90, complaint: 'dizzy', specialty: 'neurology', bloodGlucose: 54,
    });
  });

  it('refuses anything but a JSON object', () => {
    expect(() => parseInferInput([1, 2])).toThrow(/must be a JSON object/);
  });
});

import { z } from 'zod';

/**
 * The parts of models/<id>/manifest.json the runtime reads. Everything it feeds or decodes comes
 * from here, never from constants, so a real model with other widths drops in (models/README.md).
 * Fields the runtime does not read pass through untouched (they are still covered by the signature).
 */
const dim = z.union([z.int().min(1), z.string().min(1)]);
const tensorSpec = z.looseObject({ name: z.string().min(1), dtype: z.enum(['float32', 'int64']), shape: z.array(dim) });
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters');
const safePath = z.string().regex(/^(?!\.)[A-Za-z0-9._-]+$/, 'must be a plain file name inside the package');

const valueFeature = z.looseObject({
  index: z.int().min(0),
  name: z.string(),
  kind: z.literal('value'),
  source: z.looseObject({ field: z.string().min(1) }),
  mean: z.number(),
  std: z.number().positive(),
  missingValue: z.number(),
  presentIndex: z.int().min(0),
});
const presentFeature = z.looseObject({ index: z.int().min(0), name: z.string(), kind: z.literal('present'), valueIndex: z.int().min(0) });

export const modelManifestSchema = z.looseObject({
  id: z.string().min(1),
  version: z.string().min(1),
  referenceModel: z.boolean(),
  statement: z.string(),
  sha256,
  files: z.array(z.looseObject({ role: z.string(), path: safePath, sha256, bytes: z.int().min(0) })).min(1),
  inputs: z.array(tensorSpec).min(1),
  outputs: z.array(tensorSpec).min(1),
  features: z.looseObject({
    vitals: z.looseObject({ input: z.string(), size: z.int().min(1), features: z.array(z.union([valueFeature, presentFeature])) }),
    text: z.looseObject({ inputs: z.tuple([z.string(), z.string()]), maxLength: z.int().min(2) }),
    audio: z.looseObject({
      input: z.string(),
      sampleRateHz: z.literal(16000),
      windowSamples: z.int().min(1),
      hopSamples: z.int().min(1),
      melBands: z.int().min(1),
      fMinHz: z.number().min(0),
      fMaxHz: z.number().positive(),
      minFrames: z.int().min(1),
      size: z.int().min(1),
    }),
    image: z.looseObject({
      input: z.string(),
      grid: z.int().min(1),
      cellPixels: z.int().min(1),
      size: z.int().min(1),
      channelMean: z.tuple([z.number(), z.number(), z.number()]),
      channelStd: z.tuple([z.number().positive(), z.number().positive(), z.number().positive()]),
    }),
    modalityMask: z.looseObject({ input: z.string(), columns: z.array(z.string()) }),
  }),
  tokenizer: z.looseObject({ type: z.literal('wordpiece'), vocabFile: safePath, maxLength: z.int().min(2), vocabSize: z.int().min(4) }),
  labels: z.looseObject({
    triage: z.looseObject({ output: z.string(), classes: z.array(z.looseObject({ index: z.int().min(0), esi: z.int().min(1).max(5), name: z.string() })) }),
    conditions: z.looseObject({
      output: z.string(),
      classes: z.array(z.looseObject({ index: z.int().min(0), id: z.string(), display: z.string(), specialty: z.string() })),
    }),
    confidence: z.looseObject({ output: z.string() }),
    specialties: z.array(z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'must be a lowercase specialty name')),
  }),
  lora: z.looseObject({
    rank: z.int().min(1),
    scaleInput: z.string(),
    targets: z.array(z.looseObject({
      layer: z.string(),
      modulePath: z.string(),
      in: z.int().min(1),
      out: z.int().min(1),
      rank: z.int().min(1),
      inputs: z.looseObject({ A: z.looseObject({ name: z.string() }), B: z.looseObject({ name: z.string() }) }),
    })).min(1),
    peft: z.looseObject({
      map: z.array(z.looseObject({ key: z.string(), layer: z.string(), matrix: z.enum(['A', 'B']), input: z.string(), transpose: z.boolean() })),
    }),
  }),
});

export type ModelManifest = z.infer<typeof modelManifestSchema>;
export type ManifestTensor = ModelManifest['inputs'][number];
export type LoraTarget = ModelManifest['lora']['targets'][number];
export type ValueFeature = z.infer<typeof valueFeature>;

export const isValueFeature = (f: ModelManifest['features']['vitals']['features'][number]): f is ValueFeature => f.kind === 'value';

import { isValueFeature, type ModelManifest } from './manifest.js';
import { MODALITIES, poolAudio, poolImage, type AudioFeatureSource, type ImageFeatureSource, type Modality } from './media-features.js';
import type { ModelPackage } from './model-package.js';

/** One case as the model's per-row inputs (a batch stacks rows). */
export interface EncodedRow {
  readonly vitals: Float32Array;
  readonly inputIds: BigInt64Array;
  readonly attentionMask: BigInt64Array;
  readonly audio: Float32Array;
  readonly image: Float32Array;
  readonly modalityMask: Float32Array;
  readonly present: readonly Modality[];
}

export interface CaseFeatures {
  /** Observations keyed by the manifest's `source.field` (the `hema3n score` field names). */
  readonly vitals: Readonly<Record<string, unknown>>;
  /** Chief complaint and notes; null or blank = the text modality is absent. */
  readonly text: string | null;
  readonly audio?: AudioFeatureSource;
  readonly image?: ImageFeatureSource;
}

/** A reading as a number: booleans are 1/0 (onOxygen), a GCS object is its total. */
function reading(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'object' && value !== null) {
    const parts = ['eye', 'verbal', 'motor'].map((k) => (value as Record<string, unknown>)[k]);
    if (parts.every((p) => typeof p === 'number')) return (parts as number[]).reduce((a, b) => a + b, 0);
  }
  return undefined;
}

/** features.vitals: (raw - mean) / std with its present flag; a missing vital is missingValue with flag 0. */
function encodeVitals(m: ModelManifest, vitals: Readonly<Record<string, unknown>>): { values: Float32Array; any: boolean } {
  const values = new Float32Array(m.features.vitals.size);
  let any = false;
  for (const feature of m.features.vitals.features.filter(isValueFeature)) {
    const raw = reading(vitals[feature.source.field]);
    any ||= raw !== undefined;
    values[feature.index] = raw === undefined ? feature.missingValue : (raw - feature.mean) / feature.std;
    values[feature.presentIndex] = raw === undefined ? 0 : 1;
  }
  return { values, any };
}

const toInt64 = (values: readonly number[]): BigInt64Array => BigInt64Array.from(values, (v) => BigInt(v));

export function encodeRow(pkg: ModelPackage, input: CaseFeatures): EncodedRow {
  const m = pkg.manifest;
  const vitals = encodeVitals(m, input.vitals);
  const text = input.text?.trim() ? pkg.tokenizer.encode(input.text) : pkg.tokenizer.absent();
  const present: Record<Modality, boolean> = {
    vitals: vitals.any,
    text: Boolean(input.text?.trim()),
    audio: input.audio !== undefined,
    image: input.image !== undefined,
  };
  return {
    vitals: vitals.values,
    inputIds: toInt64(text.ids),
    attentionMask: toInt64(text.attentionMask),
    // Absent media are zeros: the graph multiplies the branch by its mask column, so they never count.
    audio: input.audio ? poolAudio(m, input.audio) : new Float32Array(m.features.audio.size),
    image: input.image ? poolImage(m, input.image) : new Float32Array(m.features.image.size),
    modalityMask: Float32Array.from(MODALITIES, (name) => (present[name] ? 1 : 0)),
    present: MODALITIES.filter((name) => present[name]),
  };
}

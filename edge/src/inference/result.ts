import type { AcuityReason, AcuityRule, EsiLevel, ScoreResult } from '../clinical/index.js';
import type { ModelManifest } from './manifest.js';
import type { Modality } from './media-features.js';
import type { RowOutputs } from './runtime.js';

/** How the model's level relates to the rule floor. */
export type Disagreement = 'model-higher' | 'model-lower-ignored' | null;

export interface InferenceReason {
  readonly rule: AcuityRule | 'MODEL';
  readonly text: string;
}

export interface ConditionScore {
  readonly id: string;
  readonly display: string;
  readonly specialty: string;
  readonly probability: number;
}

export interface InferenceResult {
  readonly acuity: {
    /** min(ruleLevel, modelLevel): the model may raise acuity (a lower ESI number), never lower it. */
    readonly level: EsiLevel;
    readonly ruleLevel: EsiLevel;
    readonly modelLevel: EsiLevel;
    readonly disagreement: Disagreement;
    /** The rule reasons, then one reason from the model. */
    readonly reasons: readonly InferenceReason[];
    /** From the rules: vitals they look at were missing, so the floor may be too low. */
    readonly partial: boolean;
    readonly missing: readonly string[];
  };
  readonly triage: { readonly probabilities: readonly number[] };
  /** Top k by probability. */
  readonly conditions: readonly ConditionScore[];
  readonly confidence: number;
  /** The modalities the model saw (the others were masked). */
  readonly inputs: readonly Modality[];
  readonly adapter: { readonly specialty: string; readonly version: string } | null;
  readonly model: { readonly id: string; readonly version: string; readonly referenceModel: boolean; readonly statement: string };
  readonly provider: string;
  readonly latencyMs: number;
}

const round = (x: number, digits = 4): number => Math.round(x * 10 ** digits) / 10 ** digits;

export function softmax(logits: ArrayLike<number>): number[] {
  const values = Array.from(logits);
  const max = Math.max(...values);
  const exps = values.map((v) => Math.exp(v - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

const argmax = (values: readonly number[]): number => values.reduce((best, v, i) => (v > (values[best] ?? -Infinity) ? i : best), 0);

export function modelLevel(m: ModelManifest, probabilities: readonly number[]): EsiLevel {
  return (m.labels.triage.classes[argmax(probabilities)]?.esi ?? 5) as EsiLevel;
}

/** The rule floor: the model may only lower the ESI number. */
export function mergeLevels(ruleLevel: EsiLevel, model: EsiLevel): { level: EsiLevel; disagreement: Disagreement } {
  if (model < ruleLevel) return { level: model, disagreement: 'model-higher' };
  return { level: ruleLevel, disagreement: model > ruleLevel ? 'model-lower-ignored' : null };
}

export function topConditions(m: ModelManifest, logits: ArrayLike<number>, k: number): ConditionScore[] {
  return softmax(logits)
    .map((p, i) => ({ p, c: m.labels.conditions.classes[i]! }))
    .sort((a, b) => b.p - a.p)
    .slice(0, k)
    .map(({ p, c }) => ({ id: c.id, display: c.display, specialty: c.specialty, probability: round(p) }));
}

const DISAGREEMENT_TEXT: Record<Exclude<Disagreement, null>, string> = {
  'model-higher': 'raises acuity above the rules',
  'model-lower-ignored': 'would lower acuity below the rules; the rule level stands',
};

function modelReason(m: ModelManifest, level: EsiLevel, p: number, inputs: readonly Modality[], adapter: InferenceResult['adapter'], disagreement: Disagreement): InferenceReason {
  const parts = [
    `${m.id} ${m.version}: ESI ${level} (p ${round(p, 2)}) from ${inputs.join(', ') || 'no inputs'}`,
    adapter ? `${adapter.specialty} adapter ${adapter.version}` : 'base model',
    disagreement ? DISAGREEMENT_TEXT[disagreement] : 'agrees with the rules',
  ];
  return { rule: 'MODEL', text: parts.join('; ') };
}

export interface MergeContext {
  readonly manifest: ModelManifest;
  readonly score: ScoreResult;
  readonly outputs: RowOutputs;
  readonly inputs: readonly Modality[];
  readonly adapter: InferenceResult['adapter'];
  readonly provider: string;
  readonly topK: number;
  readonly latencyMs: number;
}

export function mergeResult(c: MergeContext): InferenceResult {
  const m = c.manifest;
  const probabilities = softmax(c.outputs.triageLogits);
  const model = modelLevel(m, probabilities);
  const { level, disagreement } = mergeLevels(c.score.acuity.level, model);
  const ruleReasons: InferenceReason[] = c.score.acuity.reasons.map((r: AcuityReason) => ({ rule: r.rule, text: r.text }));
  return {
    acuity: {
      level,
      ruleLevel: c.score.acuity.level,
      modelLevel: model,
      disagreement,
      reasons: [...ruleReasons, modelReason(m, model, Math.max(...probabilities), c.inputs, c.adapter, disagreement)],
      partial: c.score.acuity.partial,
      missing: c.score.acuity.missing,
    },
    triage: { probabilities: probabilities.map((p) => round(p)) },
    conditions: topConditions(m, c.outputs.conditionLogits, c.topK),
    confidence: round(c.outputs.confidence),
    inputs: c.inputs,
    adapter: c.adapter,
    model: { id: m.id, version: m.version, referenceModel: m.referenceModel, statement: m.statement },
    provider: c.provider,
    latencyMs: round(c.latencyMs, 3),
  };
}

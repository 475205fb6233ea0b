import type { EsiLevel } from '../clinical/index.js';
import { mergeLevels, type InferenceReason, type InferenceResult } from '../inference/index.js';

/**
 * The model's own answer as a `model` assessment stores it. `model`, `adapter`, `conditions`
 * (code, label, probability) and `confidence` are what the FHIR RiskAssessment and its performer
 * Device are built from; the rest records how the answer was reached.
 */
export function modelAnswer(result: InferenceResult) {
  return {
    model: result.model,
    adapter: result.adapter,
    conditions: result.conditions.map((c) => ({ code: c.id, label: c.display, specialty: c.specialty, probability: c.probability })),
    confidence: result.confidence,
    modelLevel: result.acuity.modelLevel,
    triage: result.triage,
    inputs: result.inputs,
    provider: result.provider,
  };
}

export type ModelAnswer = ReturnType<typeof modelAnswer>;

/** The rule and model reasons, and FLOOR when the monitor's rules were the more urgent floor. */
export interface MergedReason {
  readonly rule: InferenceReason['rule'] | 'FLOOR';
  readonly text: string;
}

/**
 * The merged acuity with the rule floor. The floor is the more urgent of the rules on the input
 * the model saw and the rules the case monitor last published: they differ only when the patient's
 * age (which the model input adds) or newer data moved the rules, and the model may lower neither.
 */
export function mergedAcuity(result: InferenceResult, monitorRuleLevel: EsiLevel) {
  const ruleLevel = Math.min(result.acuity.ruleLevel, monitorRuleLevel) as EsiLevel;
  const { level, disagreement } = mergeLevels(ruleLevel, result.acuity.modelLevel);
  const monitorReason: MergedReason[] =
    ruleLevel < result.acuity.ruleLevel ? [{ rule: 'FLOOR', text: `the case monitor's latest rules give ESI ${monitorRuleLevel}, which stands as the floor` }] : [];
  return {
    level,
    ruleLevel,
    modelLevel: result.acuity.modelLevel,
    disagreement,
    reasons: [...result.acuity.reasons, ...monitorReason],
    partial: result.acuity.partial,
    missing: result.acuity.missing,
  };
}

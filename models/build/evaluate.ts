/** Held-out figures for the training report. */
import { CONDITION_COUNT } from './conditions.js';
import { TRIAGE_CLASSES, argmaxRows } from './network.js';
import type { ModelOutputs } from './onnx-runner.js';
import type { SyntheticCase } from './synthetic-cases.js';

export interface HeldOutFigures {
  readonly cases: number;
  readonly triageAgreementWithRules: number;
  readonly triageWithinOneLevel: number;
  /** Model ESI less urgent than the rules (a higher ESI number): the clinically worse error. */
  readonly undertriageRate: number;
  readonly overtriageRate: number;
  readonly conditionTop1Accuracy: number;
  /** Triage agreement on cases that had both vitals and complaint text. */
  readonly triageAgreementVitalsAndText: number;
  /** Mean `confidence` output when the top-1 condition is right and when it is wrong. */
  readonly meanConfidenceWhenRight: number;
  readonly meanConfidenceWhenWrong: number;
}

const ratio = (hits: number, total: number): number => (total === 0 ? 0 : Math.round((hits / total) * 10000) / 10000);

export const predictedEsi = (outputs: ModelOutputs): number[] => argmaxRows(outputs.triageLogits, TRIAGE_CLASSES).map((k) => k + 1);
export const predictedCondition = (outputs: ModelOutputs): number[] => argmaxRows(outputs.conditionLogits, CONDITION_COUNT);

export function heldOutFigures(cases: readonly SyntheticCase[], outputs: ModelOutputs): HeldOutFigures {
  const esi = predictedEsi(outputs);
  const condition = predictedCondition(outputs);
  let agree = 0;
  let within = 0;
  let under = 0;
  let over = 0;
  let top1 = 0;
  let richAgree = 0;
  let rich = 0;
  const confidence = { right: 0, wrong: 0 };
  cases.forEach((c, n) => {
    const e = esi[n] ?? 0;
    if (e === c.esi) agree++;
    if (Math.abs(e - c.esi) <= 1) within++;
    if (e > c.esi) under++;
    if (e < c.esi) over++;
    if (condition[n] === c.condition) top1++;
    confidence[condition[n] === c.condition ? 'right' : 'wrong'] += outputs.confidence[n] ?? 0;
    if (c.vitals !== null && c.text !== null) {
      rich++;
      if (e === c.esi) richAgree++;
    }
  });
  return {
    cases: cases.length,
    triageAgreementWithRules: ratio(agree, cases.length),
    triageWithinOneLevel: ratio(within, cases.length),
    undertriageRate: ratio(under, cases.length),
    overtriageRate: ratio(over, cases.length),
    conditionTop1Accuracy: ratio(top1, cases.length),
    triageAgreementVitalsAndText: ratio(richAgree, rich),
    meanConfidenceWhenRight: ratio(confidence.right, top1),
    meanConfidenceWhenWrong: ratio(confidence.wrong, cases.length - top1),
  };
}

/** Share of rows where two models pick the same class. */
export function agreement(a: readonly number[], b: readonly number[]): number {
  return ratio(a.filter((x, i) => x === b[i]).length, a.length);
}

export function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
  return max;
}

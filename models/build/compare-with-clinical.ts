/**
 * Compares the committed model (and the build's rule labeller) with the appliance's clinical
 * module (edge/src/clinical) on the held-out synthetic cases. Report only; the build does not
 * depend on the clinical module.
 *
 *   node --import tsx models/build/compare-with-clinical.ts
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type ScoreInput, scoreVitals } from '../../edge/src/clinical/index.js';
import { datasetSeeds } from './build-config.js';
import { agreement, predictedEsi } from './evaluate.js';
import { encodeCases } from './model-inputs.js';
import { openSession, runModel } from './onnx-runner.js';
import { type SyntheticCase, synthesiseCases } from './synthetic-cases.js';
import { WordPieceTokenizer } from './tokenizer.js';
import type { Vitals } from './vitals-features.js';

const PACKAGE_DIR = fileURLToPath(new URL('../hema3n-core/', import.meta.url));

/** Splits a GCS total into plausible eye/verbal/motor parts; the clinical module scores the total. */
function gcsParts(total: number): { eye: number; verbal: number; motor: number } {
  const motor = Math.min(6, total - 2);
  const verbal = Math.min(5, total - motor - 1);
  return { eye: total - motor - verbal, verbal, motor };
}

function scoreInput(vitals: Vitals, crew: { highRisk: boolean; resources: number } | null): ScoreInput {
  const input: ScoreInput = {
    heartRate: vitals.heart_rate, respiratoryRate: vitals.respiratory_rate, systolicBP: vitals.systolic_bp, spo2: vitals.spo2,
    temperature: vitals.temperature, ageYears: vitals.age_years, painScore: vitals.pain_score,
    onOxygen: vitals.supplemental_oxygen === undefined ? undefined : vitals.supplemental_oxygen === 1,
    gcs: vitals.gcs_total === undefined ? undefined : gcsParts(vitals.gcs_total),
    highRiskSituation: crew?.highRisk, expectedResources: crew?.resources,
  };
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as ScoreInput;
}

const clinicalLevel = (vitals: Vitals, crew: { highRisk: boolean; resources: number } | null): number =>
  scoreVitals(scoreInput(vitals, crew)).acuity.level;

async function main(): Promise<void> {
  const manifest = JSON.parse(readFileSync(`${PACKAGE_DIR}manifest.json`, 'utf8')) as { training: { seed: number; report: { heldOutCases: number } } };
  const tokenizer = WordPieceTokenizer.fromVocabText(readFileSync(`${PACKAGE_DIR}vocab.txt`, 'utf8'));
  const cases = synthesiseCases(datasetSeeds(manifest.training.seed).heldOut, manifest.training.report.heldOutCases);
  const model = predictedEsi(await runModel(await openSession(readFileSync(`${PACKAGE_DIR}model.onnx`)), encodeCases(cases, tokenizer)));
  const crew = (c: SyntheticCase): { highRisk: boolean; resources: number } => ({ highRisk: c.highRisk || c.immediate, resources: c.resources });

  const withVitals = cases.map((c, n) => ({ c, n })).filter(({ c }) => c.vitals !== null);
  const pick = <T>(rows: readonly { n: number }[], values: readonly T[]): T[] => rows.map(({ n }) => values[n] as T);
  const observedVitalsOnly = cases.map((c) => clinicalLevel(c.vitals ?? {}, null));
  const observedWithCrew = cases.map((c) => clinicalLevel(c.vitals ?? {}, crew(c)));
  const trueWithCrew = cases.map((c) => clinicalLevel(c.trueVitals, crew(c)));
  const labels = cases.map((c) => c.esi as number);

  const figures = {
    heldOutCases: cases.length,
    casesWithVitals: withVitals.length,
    modelVsClinical_observedVitalsOnly: agreement(model, observedVitalsOnly),
    modelVsClinical_observedVitalsAndCrewJudgement: agreement(model, observedWithCrew),
    modelVsClinical_observedVitalsAndCrewJudgement_casesWithVitals: agreement(pick(withVitals, model), pick(withVitals, observedWithCrew)),
    modelVsClinical_trueVitalsAndCrewJudgement: agreement(model, trueWithCrew),
    ruleLabellerVsClinical_trueVitalsAndCrewJudgement: agreement(labels, trueWithCrew),
    modelVsRuleLabeller: agreement(model, labels),
  };
  for (const [key, value] of Object.entries(figures)) console.log(`${key}: ${value}`);
}

await main();

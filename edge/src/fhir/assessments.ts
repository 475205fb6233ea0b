import type { CodeableConcept, Condition, Extension, Observation, Reference, RiskAssessment } from '@medplum/fhirtypes';
import type { MappingContext } from './context.js';
import { ESI_OBSERVATION_CODE, esiCoding } from './esi.js';
import { LOCAL_ID } from './ids.js';
import { caseObservation, concept, ucumQuantity } from './observation.js';
import { modelLocalId } from './participants.js';
import type { AssessmentSource, SnapshotAssessment, TriageCondition } from './snapshot.js';
import {
  CONDITION_CATEGORY,
  CONDITION_CLINICAL,
  CONDITION_VERIFICATION,
  LOCAL_CODES,
  LOCAL_EXTENSIONS,
  SNOMED,
} from './systems.js';
import { instant } from './time.js';

/**
 * LOINC has no NEWS2 total. SNOMED CT UK Edition has one: 1104051000000101, used with this display
 * by the NHS-region IGs (Interweave NEWS2 Score profile; Synanetics emergency-department IG).
 */
export const NEWS2_CODE = {
  system: SNOMED,
  code: '1104051000000101',
  display: 'Royal College of Physicians NEWS2 (National Early Warning Score 2) total score',
} as const;

const SOURCE_DISPLAY: Readonly<Record<AssessmentSource, string>> = {
  rules: 'Deterministic rules (NEWS2, ESI)',
  model: 'AI triage model',
  merged: 'Rules and AI triage model merged',
};

/** How many top conditions of the latest merged assessment become working impressions. */
export const WORKING_IMPRESSIONS = 3;

/** NEWS2 and ESI as Observations, one each per assessment that has them. */
export function scoreObservations(ctx: MappingContext): Observation[] {
  return ctx.snapshot.assessments.flatMap((assessment) => [news2Observation(ctx, assessment), esiObservation(ctx, assessment)].filter((o) => o !== undefined));
}

function news2Observation(ctx: MappingContext, assessment: SnapshotAssessment): Observation | undefined {
  const news2 = assessment.result.news2;
  if (!news2) return undefined;
  return {
    ...caseObservation(ctx, {
      id: ctx.ids.id('Observation', LOCAL_ID.news2(assessment.id)),
      category: 'survey',
      code: concept([NEWS2_CODE], 'NEWS2 total score'),
      effectiveAt: assessment.createdAt,
    }),
    method: sourceConcept(assessment.source),
    valueQuantity: ucumQuantity(news2.total, '{score}', 'score'),
    interpretation: [{ coding: [{ system: LOCAL_CODES.news2Risk, code: news2.risk }], text: `NEWS2 clinical risk: ${news2.risk}` }],
  };
}

function esiObservation(ctx: MappingContext, assessment: SnapshotAssessment): Observation | undefined {
  if (assessment.acuity === null) return undefined;
  return {
    ...caseObservation(ctx, {
      id: ctx.ids.id('Observation', LOCAL_ID.esi(assessment.id)),
      category: 'survey',
      code: concept([ESI_OBSERVATION_CODE], 'Emergency Severity Index'),
      effectiveAt: assessment.createdAt,
    }),
    method: sourceConcept(assessment.source),
    valueCodeableConcept: { coding: [esiCoding(assessment.acuity)], text: `ESI ${assessment.acuity}` },
  };
}

/**
 * The AI triage as RiskAssessment: every assessment a model took part in, or that named conditions.
 * The model and adapter are the performer Device (versions there) and are spelled out in
 * method.text; the model's confidence is an extension; the assessment's NEWS2 and ESI
 * Observations are its basis.
 */
export function riskAssessments(ctx: MappingContext): RiskAssessment[] {
  return ctx.snapshot.assessments
    .filter((assessment) => assessment.result.model || (assessment.result.conditions?.length ?? 0) > 0)
    .map((assessment) => riskAssessment(ctx, assessment));
}

function riskAssessment(ctx: MappingContext, assessment: SnapshotAssessment): RiskAssessment {
  const { result } = assessment;
  const performer = modelLocalId(result);
  const basis = scoreReferences(ctx, assessment);
  const extension: Extension[] = result.confidence !== undefined ? [{ url: LOCAL_EXTENSIONS.modelConfidence, valueDecimal: result.confidence }] : [];
  return {
    resourceType: 'RiskAssessment',
    id: ctx.ids.id('RiskAssessment', assessment.id),
    ...(extension.length > 0 ? { extension } : {}),
    status: 'final',
    method: { ...sourceConcept(assessment.source), text: methodText(assessment) },
    subject: ctx.patient,
    encounter: ctx.encounter,
    occurrenceDateTime: instant(assessment.createdAt),
    ...(performer ? { performer: ctx.ids.ref('Device', performer) } : {}),
    ...(basis.length > 0 ? { basis } : {}),
    ...(result.conditions?.length
      ? {
          prediction: byProbability(result.conditions).map((condition) => ({
            outcome: conditionConcept(condition),
            probabilityDecimal: condition.probability,
          })),
        }
      : {}),
  };
}

function scoreReferences(ctx: MappingContext, assessment: SnapshotAssessment): Reference[] {
  return [
    ...(assessment.result.news2 ? [ctx.ids.ref('Observation', LOCAL_ID.news2(assessment.id))] : []),
    ...(assessment.acuity !== null ? [ctx.ids.ref('Observation', LOCAL_ID.esi(assessment.id))] : []),
  ];
}

/** E.g. "AI triage model hema3n-core 0.1.0; adapter cardiology 1.2.0". No patient data. */
function methodText(assessment: SnapshotAssessment): string {
  const { model, adapter } = assessment.result;
  const parts = [SOURCE_DISPLAY[assessment.source]];
  if (model) parts.push(`model ${model.id} ${model.version}`);
  if (adapter) parts.push(`adapter ${adapter.specialty} ${adapter.version}`);
  return parts.join('; ');
}

/**
 * Working impressions: the top conditions of the latest merged assessment, provisional. The id
 * depends on the case and the condition code, so a later assessment updates the same Condition.
 */
export function workingImpressions(ctx: MappingContext): Condition[] {
  const merged = latestMerged(ctx.snapshot.assessments);
  if (!merged?.result.conditions) return [];
  const evidence = [{ detail: [ctx.ids.ref('RiskAssessment', merged.id)] }];
  return byProbability(merged.result.conditions)
    .slice(0, WORKING_IMPRESSIONS)
    .map((condition) => ({
      resourceType: 'Condition',
      id: ctx.ids.id('Condition', LOCAL_ID.impression(ctx.snapshot.case.id, condition.code)),
      clinicalStatus: { coding: [{ system: CONDITION_CLINICAL, code: 'active', display: 'Active' }] },
      verificationStatus: { coding: [{ system: CONDITION_VERIFICATION, code: 'provisional', display: 'Provisional' }] },
      category: [{ coding: [{ system: CONDITION_CATEGORY, code: 'encounter-diagnosis', display: 'Encounter Diagnosis' }] }],
      code: conditionConcept(condition),
      subject: ctx.patient,
      encounter: ctx.encounter,
      recordedDate: instant(merged.createdAt),
      evidence,
    }));
}

function latestMerged(assessments: readonly SnapshotAssessment[]): SnapshotAssessment | undefined {
  let latest: SnapshotAssessment | undefined;
  for (const assessment of assessments) {
    if (assessment.source === 'merged' && (!latest || assessment.createdAt >= latest.createdAt)) latest = assessment;
  }
  return latest;
}

function byProbability(conditions: readonly TriageCondition[]): TriageCondition[] {
  return [...conditions].sort((a, b) => b.probability - a.probability || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

function conditionConcept(condition: TriageCondition): CodeableConcept {
  return { coding: [{ system: LOCAL_CODES.triageCondition, code: condition.code, display: condition.label }], text: condition.label };
}

function sourceConcept(source: AssessmentSource): CodeableConcept {
  return { coding: [{ system: LOCAL_CODES.assessmentSource, code: source, display: SOURCE_DISPLAY[source] }] };
}

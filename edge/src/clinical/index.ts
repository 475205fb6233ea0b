/**
 * Deterministic clinical safety floor: NEWS2, shock index, qSOFA, GCS, paediatric ranges,
 * BE-FAST, ESI acuity, and the per-case deterioration watcher. Pure: no I/O, no clock.
 * Sources, thresholds and rounding: docs/CLINICAL.md.
 */
export { parseScoreInput, CONSCIOUSNESS_LEVELS, type ScoreInput, type Consciousness, type GcsInput, type BeFastInput } from './input.js';
export { scoreVitals, type ScoreResult } from './score.js';
export { NEWS2_PARAMETERS, type News2Result, type News2Risk, type News2Parameter, type ParameterScore } from './news2.js';
export type { ShockIndexResult, ShockIndexBasis } from './shock-index.js';
export type { QsofaResult } from './qsofa.js';
export type { GcsResult, GcsSeverity } from './gcs.js';
export type { PediatricResult, PediatricAgeBand, PediatricRanges, PediatricVital, VitalRange, OutsideRange } from './pediatric.js';
export { BE_FAST_ITEMS, type BeFastResult, type BeFastItem } from './be-fast.js';
export type { AcuityResult, AcuityReason, AcuityRule, EsiLevel } from './acuity.js';
export { DeteriorationWatcher, type DeteriorationAlert, type TrendObservation } from './deterioration.js';
export { ALERT_KINDS, TREND_WINDOW_MS, type AlertKind } from './trend-conditions.js';
export {
  FORMULARY, MEDICATION_ROUTES, DOSE_UNITS, formularyEntry,
  type FormularyEntry, type DoseRule, type DoseUnit, type MedicationRoute, type Population, type RuleUnit, type Interaction,
} from './formulary.js';
export {
  checkAdministration, findMedication,
  type Administration, type PatientContext, type MedicationCheck, type MedicationWarning, type MedicationWarningKind, type ExpectedDose,
} from './medication-check.js';
export { INTERVENTIONS, type InterventionCode } from './interventions.js';

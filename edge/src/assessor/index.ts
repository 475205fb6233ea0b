/**
 * Automatic model assessments: asks HEMA3N-core about each case the monitor scores and stores the
 * answer merged with the rule floor, so the model's view reaches the chart and the cloud without
 * anyone opening the triage card. docs/INFERENCE.md describes when, which adapter and the floor.
 */
export { CaseAssessor, type CaseAssessorOptions } from './case-assessor.js';
export { chooseSpecialty, DEFAULT_SPECIALTY, type SpecialtyFindings } from './specialty.js';
export { readCase, type CaseView, type CaseReading } from './case-input.js';

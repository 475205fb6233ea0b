/**
 * FHIR R4 mapping of an ambulance case: a CaseSnapshot (plain data the integrator reads from the
 * store) becomes one transaction Bundle of PUTs to deterministic ids; splitBundle cuts it to size
 * for sending; validateBundle checks it against the R4 definitions with @medplum/core.
 * Pure: no I/O besides reading the definitions once, no clock. Mapping table: docs/FHIR.md.
 */
export { caseToBundle, type CaseToBundleOptions } from './case-bundle.js';
export { splitBundle, DEFAULT_SPLIT_LIMITS, type SplitLimits } from './split.js';
export { validateBundle, type BundleValidation, type ValidationIssue } from './validate.js';
export { fhirId, FHIR_ID_NAMESPACE, LOCAL_ID } from './ids.js';
export { uuidV5, NAMESPACE_DNS, NAMESPACE_URL } from './uuid-v5.js';
export { ENCOUNTER_STATUS } from './encounter.js';
export { VITALS, BLOOD_PRESSURE } from './vital-codes.js';
export { NEWS2_CODE, WORKING_IMPRESSIONS } from './assessments.js';
export { UNIDENTIFIED_TAG } from './patient.js';
export { PROVENANCE_TARGETS } from './provenance.js';
export { APPLIANCE_IDENTIFIER, LOCAL_CODES, LOCAL_EXTENSIONS, applianceIdentifierSystem } from './systems.js';
export {
  VITAL_CODES,
  type CaseSnapshot,
  type SnapshotCase,
  type SnapshotCaseEvent,
  type SnapshotPatient,
  type SnapshotCrewMember,
  type SnapshotDevice,
  type SnapshotVital,
  type VitalCode,
  type SnapshotAssessment,
  type AssessmentSource,
  type AssessmentResult,
  type TriageCondition,
  type SnapshotNote,
  type SnapshotIntervention,
  type SnapshotMedication,
  type SnapshotMedia,
} from './snapshot.js';
export { snapshotFromStore, type SnapshotOptions } from './from-store.js';

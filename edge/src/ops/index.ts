/**
 * Field operations: provisioning a box, diagnosing it, and installing signed model packages with
 * an atomic switch and a rollback. The CLI commands (provision, doctor, models) are thin shells
 * around these; docs/OPERATIONS.md is the technician's side of the same story.
 */
export { provision, type ProvisionRequest, type ProvisionReport } from './provision.js';
export type { ProvisionStep, StepAction } from './steps.js';
export { readRoster, rosterSchema, type Roster, type CrewOutcome, type DeviceOutcome, type RosterOutcome } from './roster.js';
export { DEFAULT_ENV_FILE, parseEnvFile, renderEnvFile, type EnvSettings } from './env-file.js';
export { TPM2_HANDLES, TPM2_HANDLE } from './tpm2.js';
export { certificatePaths, inspectCertificate, CERTIFICATE_WARN_DAYS, type CertificateInfo } from './certificate.js';
export { runDoctor, doctorChecks } from './doctor-checks.js';
export { runChecks, type DoctorCheck, type DoctorReport, type DoctorContext, type CheckLevel } from './doctor.js';
export { clockFinding, CLOCK_FLOOR, DEFAULT_MIN_FREE_BYTES, type NtpStatus } from './doctor-system.js';
export { ModelStore, currentModelDir, modelsRoot, MODEL_MANIFEST, type InstalledModel, type ModelChange, type ModelSlot } from './model-store.js';
export { createProgress, renderBar, formatBytes, silentProgress, type Progress, type ProgressStream } from './progress.js';

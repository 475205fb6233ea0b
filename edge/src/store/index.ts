export { StorePart, type StorePartOptions } from './store-part.js';
export { Store, databasePath, databaseExists, DATABASE_FILE, type StoreOptions } from './store.js';
export { openDatabase, schemaVersion, type SqliteDatabase } from './database.js';
export { checkIntegrity, integrityOk, rekey, exportEncrypted, type IntegrityReport } from './maintenance.js';
export { GroupCommit, type GroupCommitOptions, type GroupCommitStats } from './group-commit.js';
export { CASE_STATUSES, CREW_ROLES } from './types.js';
export type { CaseStatus, CrewRole, VitalSign, VitalSignWrite, CaseSummary, CaseRecord, CaseEvent, Patient, CrewMember, Device } from './types.js';
export type { PatientUpdate } from './cases.js';
export type { StoredIdentity } from './identity.js';

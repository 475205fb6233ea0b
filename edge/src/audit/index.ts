export { AuditLog, type AuditRecord, type AuditVerification } from './audit-log.js';
export { verifyChain, entryHash, GENESIS_HASH, type AuditEntry, type ChainProblem } from './chain.js';
export { AuditPart } from './audit-part.js';

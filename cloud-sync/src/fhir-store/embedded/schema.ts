import type { Migrations } from '../../sqlite/index.js';

export const FHIR_STORE_FILE = 'fhir.db';

/**
 * One row per resource (its current version) plus every version in the history table. The
 * reference index holds what `subject`, `patient` and `encounter` point to, so the searches
 * the dispatch and integrators run most never scan a resource type.
 */
export const FHIR_STORE_MIGRATIONS: Migrations = [
  `CREATE TABLE resources (
     type TEXT NOT NULL,
     id TEXT NOT NULL,
     version_id INTEGER NOT NULL,
     last_updated INTEGER NOT NULL,
     json TEXT NOT NULL,
     PRIMARY KEY (type, id)
   ) WITHOUT ROWID;
   CREATE INDEX resources_by_update ON resources (type, last_updated);
   CREATE TABLE resource_history (
     type TEXT NOT NULL,
     id TEXT NOT NULL,
     version_id INTEGER NOT NULL,
     last_updated INTEGER NOT NULL,
     json TEXT NOT NULL,
     PRIMARY KEY (type, id, version_id)
   ) WITHOUT ROWID;
   CREATE TABLE resource_references (
     type TEXT NOT NULL,
     id TEXT NOT NULL,
     code TEXT NOT NULL,
     target_type TEXT NOT NULL,
     target_id TEXT NOT NULL,
     PRIMARY KEY (type, id, code, target_type, target_id)
   ) WITHOUT ROWID;
   CREATE INDEX resource_references_by_target ON resource_references (type, code, target_id, target_type);
   CREATE TABLE applied_transactions (
     idempotency_key TEXT PRIMARY KEY,
     response TEXT NOT NULL,
     applied_at INTEGER NOT NULL
   ) WITHOUT ROWID;`,
];

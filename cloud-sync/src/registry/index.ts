import { join } from 'node:path';
import { closeSqlite, openSqlite, type SqliteDatabase } from '../sqlite/index.js';
import { ApplianceRegistry } from './appliance-registry.js';
import { REGISTRY_FILE, REGISTRY_MIGRATIONS } from './schema.js';

export { ApplianceRegistry, type ApplianceRecord, type StoredReceipt, type AcceptedEnvelope } from './appliance-registry.js';
export { REGISTRY_FILE } from './schema.js';

export interface OpenRegistry {
  readonly registry: ApplianceRegistry;
  close(): void;
}

/** Opens `registry.db` in the state directory (created on first use). */
export function openRegistry(stateDir: string): OpenRegistry {
  const db: SqliteDatabase = openSqlite(join(stateDir, REGISTRY_FILE), REGISTRY_MIGRATIONS);
  return { registry: new ApplianceRegistry(db), close: () => closeSqlite(db) };
}

import type { Migrations } from '../sqlite/index.js';

export const REGISTRY_FILE = 'registry.db';

/**
 * Appliances with their replay state (kept with the appliance record, as docs/ENVELOPE.md
 * suggests) and every receipt sent, by (appliance, sequence), so that a replay gets the same
 * signed receipt again.
 */
export const REGISTRY_MIGRATIONS: Migrations = [
  `CREATE TABLE appliances (
     appliance_id TEXT PRIMARY KEY,
     sign_public_key TEXT NOT NULL,
     added_at INTEGER NOT NULL,
     revoked_at INTEGER,
     replay_highest INTEGER NOT NULL DEFAULT 0,
     replay_recent TEXT NOT NULL DEFAULT '[]',
     last_seen_at INTEGER
   ) WITHOUT ROWID;
   CREATE TABLE receipts (
     appliance_id TEXT NOT NULL REFERENCES appliances (appliance_id),
     sequence INTEGER NOT NULL,
     envelope_sha256 TEXT NOT NULL,
     kind TEXT NOT NULL,
     signed_receipt TEXT NOT NULL,
     received_at INTEGER NOT NULL,
     PRIMARY KEY (appliance_id, sequence)
   ) WITHOUT ROWID;`,
];

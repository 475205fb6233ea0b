import type { SqliteDatabase } from './database.js';

/** The appliance's identity as stored (inside the encrypted database, like all secrets). */
export interface StoredIdentity {
  readonly applianceId: string;
  readonly signPublicKey: string;
  readonly signSecretKey: string;
  readonly boxPublicKey: string;
  readonly boxSecretKey: string;
  readonly createdAt: number;
}

const IDENTITY_KEY = 'identity';

export class IdentityRepository {
  constructor(private readonly db: SqliteDatabase) {}

  get(): StoredIdentity | undefined {
    const row = this.db.prepare('SELECT value FROM appliance_state WHERE key = ?').get(IDENTITY_KEY) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as StoredIdentity) : undefined;
  }

  /** Saves a new identity; returns false (and changes nothing) when one exists. */
  create(identity: StoredIdentity): boolean {
    const result = this.db
      .prepare('INSERT INTO appliance_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING')
      .run(IDENTITY_KEY, JSON.stringify(identity));
    return result.changes === 1;
  }

  /** Replaces the identity (an explicit rotation at provisioning; the old keys stop being trusted by the cloud). */
  replace(identity: StoredIdentity): void {
    this.db
      .prepare('INSERT INTO appliance_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
      .run(IDENTITY_KEY, JSON.stringify(identity));
  }
}

import { CloudError } from '../errors.js';
import type { SqliteDatabase } from '../sqlite/index.js';
import type { PayloadKind, ReplayGuard, ReplayState, SignedReceipt } from '../wire/index.js';
import { parseApplianceInput } from './validation.js';

export interface ApplianceRecord {
  applianceId: string;
  signPublicKey: string;
  status: 'active' | 'revoked';
  addedAt: number;
  revokedAt: number | null;
  /** Highest envelope sequence accepted so far (0 before the first). */
  highestSequence: number;
  lastSeenAt: number | null;
}

/** The receipt sent for one accepted envelope, kept so a replay is answered with the very same one. */
export interface StoredReceipt {
  envelopeSha256: string;
  signedReceipt: SignedReceipt;
}

export interface AcceptedEnvelope {
  applianceId: string;
  sequence: number;
  kind: PayloadKind;
  signedReceipt: SignedReceipt;
}

interface ApplianceRow {
  appliance_id: string;
  sign_public_key: string;
  added_at: number;
  revoked_at: number | null;
  replay_highest: number;
  replay_recent: string;
  last_seen_at: number | null;
}

function toRecord(row: ApplianceRow): ApplianceRecord {
  return {
    applianceId: row.appliance_id,
    signPublicKey: row.sign_public_key,
    status: row.revoked_at === null ? 'active' : 'revoked',
    addedAt: row.added_at,
    revokedAt: row.revoked_at,
    highestSequence: row.replay_highest,
    lastSeenAt: row.last_seen_at,
  };
}

/**
 * Which appliances may send, and what each has sent. Read from the database on every call (no
 * cache), so a revocation by the CLI takes effect on the service's next envelope.
 */
export class ApplianceRegistry {
  private readonly statements;

  constructor(private readonly db: SqliteDatabase) {
    this.statements = {
      get: db.prepare<[string], ApplianceRow>('SELECT * FROM appliances WHERE appliance_id = ?'),
      list: db.prepare<[], ApplianceRow>('SELECT * FROM appliances ORDER BY added_at, appliance_id'),
      insert: db.prepare('INSERT INTO appliances (appliance_id, sign_public_key, added_at) VALUES (?, ?, ?)'),
      revoke: db.prepare('UPDATE appliances SET revoked_at = ? WHERE appliance_id = ? AND revoked_at IS NULL'),
      receipt: db.prepare<[string, number], { envelope_sha256: string; signed_receipt: string }>(
        'SELECT envelope_sha256, signed_receipt FROM receipts WHERE appliance_id = ? AND sequence = ?',
      ),
      saveState: db.prepare('UPDATE appliances SET replay_highest = ?, replay_recent = ?, last_seen_at = ? WHERE appliance_id = ?'),
      insertReceipt: db.prepare(
        'INSERT INTO receipts (appliance_id, sequence, envelope_sha256, kind, signed_receipt, received_at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
    };
  }

  /** Registers an appliance by its Ed25519 public key. An id is never reused, not even after revocation. */
  add(input: { applianceId: unknown; signPublicKey: unknown }, now: number): ApplianceRecord {
    const { applianceId, signPublicKey } = parseApplianceInput(input);
    return this.db.transaction(() => {
      if (this.statements.get.get(applianceId)) throw new CloudError('CONFLICT', `Appliance ${applianceId} is already registered`);
      this.statements.insert.run(applianceId, signPublicKey, now);
      return toRecord(this.statements.get.get(applianceId)!);
    }).immediate();
  }

  /** From now on its envelopes are refused (APPLIANCE_REVOKED); its data and receipts stay. */
  revoke(applianceId: string, now: number): ApplianceRecord {
    return this.db.transaction(() => {
      if (this.statements.revoke.run(now, applianceId).changes === 0) throw new CloudError('NOT_FOUND', `No active appliance ${applianceId}`);
      return toRecord(this.statements.get.get(applianceId)!);
    }).immediate();
  }

  get(applianceId: string): ApplianceRecord | undefined {
    const row = this.statements.get.get(applianceId);
    return row ? toRecord(row) : undefined;
  }

  list(): ApplianceRecord[] {
    return this.statements.list.all().map(toRecord);
  }

  replayState(applianceId: string): ReplayState {
    const row = this.statements.get.get(applianceId);
    return row ? { highest: row.replay_highest, recent: JSON.parse(row.replay_recent) as number[] } : { highest: 0, recent: [] };
  }

  storedReceipt(applianceId: string, sequence: number): StoredReceipt | undefined {
    const row = this.statements.receipt.get(applianceId, sequence);
    return row ? { envelopeSha256: row.envelope_sha256, signedReceipt: JSON.parse(row.signed_receipt) as SignedReceipt } : undefined;
  }

  /**
   * Records an envelope as accepted: the replay state moves on and the receipt is kept, in one
   * transaction, so there is never a receipt without the state or the other way round.
   */
  recordAccepted(envelope: AcceptedEnvelope, guard: ReplayGuard): void {
    const { applianceId, sequence, kind, signedReceipt } = envelope;
    const { envelopeSha256, receivedAt } = signedReceipt.receipt;
    this.db.transaction(() => {
      const state = guard.accept(this.replayState(applianceId), { sequence });
      this.statements.saveState.run(state.highest, JSON.stringify(state.recent), receivedAt, applianceId);
      this.statements.insertReceipt.run(applianceId, sequence, envelopeSha256, kind, JSON.stringify(signedReceipt), receivedAt);
    }).immediate();
  }
}

import { CloudError, toCloudError } from '../errors.js';
import type { CloudIdentity } from '../identity/index.js';
import type { CloudMetrics, Logger } from '../observability/index.js';
import type { ApplianceRecord, ApplianceRegistry } from '../registry/index.js';
import {
  envelopeSha256,
  openEnvelope,
  readEnvelopeHeader,
  ReplayGuard,
  signReceipt,
  type EnvelopeHeader,
  type ReceiptOutcome,
  type SignedReceipt,
  type SizeLimits,
} from '../wire/index.js';
import { PAYLOAD_HANDLERS, type HandlerDependencies } from './handlers.js';
import { KeyedLock } from './keyed-lock.js';

export interface IntakeDependencies extends HandlerDependencies {
  registry: ApplianceRegistry;
  identity: CloudIdentity;
  metrics: CloudMetrics;
  logger: Logger;
  now: () => number;
  limits: Required<SizeLimits>;
}

/** `accepted`: processed now. `replayed`: accepted before; this is the receipt sent then. */
export interface IntakeResult {
  status: 'accepted' | 'replayed';
  receipt: SignedReceipt;
}

/**
 * Receives one envelope: header → appliance lookup → byte-identical replay → signature and
 * decryption → replay window → payload → signed receipt. Only after the payload was stored are
 * the replay state and the receipt recorded (one SQLite transaction); a replay gets that same
 * receipt again and changes nothing. Transport-free: the HTTP route hands it the bytes.
 */
export class EnvelopeIntake {
  private readonly guard = new ReplayGuard();
  private readonly lock = new KeyedLock();

  constructor(private readonly deps: IntakeDependencies) {}

  async receive(bytes: Uint8Array): Promise<IntakeResult> {
    try {
      const result = await this.receiveUnchecked(bytes);
      this.deps.metrics.receipts.inc({ outcome: 'accepted' });
      return result;
    } catch (error) {
      const failure = toCloudError(error);
      this.deps.metrics.envelopesRejected.inc({ code: failure.code });
      this.deps.logger.warn({ code: failure.code }, 'envelope refused');
      if (failure.receipt) this.deps.metrics.receipts.inc({ outcome: 'rejected' });
      throw failure;
    }
  }

  private async receiveUnchecked(bytes: Uint8Array): Promise<IntakeResult> {
    const header = readEnvelopeHeader(bytes, this.deps.limits);
    const appliance = this.activeAppliance(header.applianceId);
    const sha256 = envelopeSha256(bytes);
    // A byte-identical replay is answered before any cryptography: these bytes were authentic once.
    const replayed = this.replayOf(header, sha256);
    if (replayed) return replayed;
    return this.lock.run(header.applianceId, () => this.receiveNew(bytes, header, appliance, sha256));
  }

  private activeAppliance(applianceId: string): ApplianceRecord {
    const appliance = this.deps.registry.get(applianceId);
    if (!appliance) throw new CloudError('ENVELOPE_SIGNER_UNKNOWN', 'Envelope comes from an appliance this cloud does not know');
    if (appliance.status === 'revoked') throw new CloudError('APPLIANCE_REVOKED', 'Envelope comes from a revoked appliance');
    return appliance;
  }

  private replayOf(header: EnvelopeHeader, sha256: string): IntakeResult | undefined {
    const stored = this.deps.registry.storedReceipt(header.applianceId, header.sequence);
    if (stored?.envelopeSha256 !== sha256) return undefined;
    this.deps.metrics.replays.inc();
    return { status: 'replayed', receipt: stored.signedReceipt };
  }

  private async receiveNew(bytes: Uint8Array, header: EnvelopeHeader, appliance: ApplianceRecord, sha256: string): Promise<IntakeResult> {
    const { applianceId, sequence } = header;
    const opened = await openEnvelope(bytes, {
      ...this.deps.limits,
      verifyKeyFor: (id) => (id === applianceId ? appliance.signPublicKey : undefined),
      recipientBoxKeyPair: this.deps.identity.boxKeyPair,
    });
    const receivedAt = this.deps.now();
    try {
      // Checked again under the lock: the same envelope may have been accepted while we waited.
      const replayed = this.replayOf(header, sha256);
      if (replayed) return replayed;
      this.checkSequence(header);
      await PAYLOAD_HANDLERS[header.kind]({ applianceId, sequence, envelopeSha256: sha256, receivedAt, payload: opened.payload }, this.deps);
    } catch (error) {
      throw await this.withRejectionReceipt(toCloudError(error), header, sha256, receivedAt);
    }
    const receipt = await this.sign(header, sha256, receivedAt, { status: 'accepted' });
    this.deps.registry.recordAccepted({ applianceId, sequence, kind: header.kind, signedReceipt: receipt }, this.guard);
    this.deps.metrics.envelopesAccepted.inc({ kind: header.kind });
    this.deps.logger.info({ applianceId, sequence, kind: header.kind }, 'envelope accepted');
    return { status: 'accepted', receipt };
  }

  private checkSequence(header: EnvelopeHeader): void {
    if (this.deps.registry.storedReceipt(header.applianceId, header.sequence)) {
      throw new CloudError('ENVELOPE_SEQUENCE_REUSED', 'Another envelope was already accepted under this sequence');
    }
    const verdict = this.guard.classify(this.deps.registry.replayState(header.applianceId), header);
    if (verdict === 'replay') throw new CloudError('ENVELOPE_SEQUENCE_REUSED', 'Another envelope was already accepted under this sequence');
    if (verdict === 'stale') throw new CloudError('ENVELOPE_STALE', 'Envelope sequence is below the replay window and was never accepted');
  }

  /**
   * An authentic envelope refused for good (4xx) gets a signed rejected receipt, so the appliance
   * can stop retrying it. Nothing is recorded: the same bytes are judged afresh if they come again.
   * Failures that may pass (upstream down, internal) get none: the appliance should retry.
   */
  private async withRejectionReceipt(error: CloudError, header: EnvelopeHeader, sha256: string, receivedAt: number): Promise<CloudError> {
    if (error.status >= 500) return error;
    return error.withReceipt(await this.sign(header, sha256, receivedAt, { status: 'rejected', code: error.code }));
  }

  private sign(header: EnvelopeHeader, envelopeSha256: string, receivedAt: number, outcome: ReceiptOutcome): Promise<SignedReceipt> {
    const receipt = { applianceId: header.applianceId, sequence: header.sequence, envelopeSha256, receivedAt, outcome };
    return signReceipt(receipt, this.deps.identity.signKeyPair.secretKey);
  }
}

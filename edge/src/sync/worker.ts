import { envelopeSha256, sealEnvelope, type AlertPayload, type CaseBundlePayload, type PayloadKind } from '@hema3n/cloud-sync/wire';
import { caseToBundle, snapshotFromStore, splitBundle } from '../fhir/index.js';
import type { Logger } from '../observability/index.js';
import type { PendingCase, Store, StoredIdentity } from '../store/index.js';
import { CloudRejection, type CloudClient } from './cloud-client.js';
import { DEFAULT_MEDIA_CHUNK_BYTES } from './media-plan.js';
import { MediaUploader } from './media-upload.js';

export interface SyncPassReport {
  readonly reachable: boolean;
  readonly casesSent: number;
  /** Alerts, bundles and media chunks with a verified receipt. */
  readonly envelopesSent: number;
  readonly quarantined: number;
  /** Photos and recordings whose last chunk was receipted in this pass. */
  readonly mediaFilesSent: number;
  /** Set when the pass stopped on a transport failure (to be retried with backoff), or 'stopped'. */
  readonly failure: string | null;
}

type Tally = { -readonly [K in 'casesSent' | 'envelopesSent' | 'quarantined' | 'mediaFilesSent']: number };

const ALERT_CODES = ['HR', 'RR', 'SPO2', 'SBP', 'DBP', 'TEMP', 'ETCO2'] as const;
/** Media bytes between two looks at the cases: at the default chunk size, four chunks. */
const MEDIA_ROUND_BYTES = 1024 * 1024;

/**
 * One pass: critical cases first; for an ESI 1-2 case a small alert envelope goes ahead of the
 * bulk; each case's changes go as one or more transaction bundles (PUT to deterministic ids, so a
 * resend never duplicates). A case is marked sent only when every one of its envelopes has a
 * verified receipt. Media bytes go last, a round at a time, with the cases looked at again between
 * rounds, so vitals arriving during a long upload still reach dispatch first.
 */
export class SyncWorker {
  private readonly media: MediaUploader;

  constructor(
    private readonly deps: {
      readonly store: Store;
      readonly identity: StoredIdentity;
      readonly cloud: CloudClient;
      readonly cloudBoxKey: string;
      readonly logger: Logger;
      readonly now: () => number;
      /** Preferred media chunk size (sync.mediaChunkBytes). */
      readonly mediaChunkBytes?: number;
      /** Aborted when the part stops: the pass ends after (or cuts) the envelope in flight. */
      readonly signal?: AbortSignal;
    },
  ) {
    this.media = new MediaUploader({
      store: deps.store,
      applianceId: deps.identity.applianceId,
      chunkBytes: deps.mediaChunkBytes ?? DEFAULT_MEDIA_CHUNK_BYTES,
      roundBytes: MEDIA_ROUND_BYTES,
      logger: deps.logger,
      now: deps.now,
    });
  }

  async runOnce(): Promise<SyncPassReport> {
    const tally: Tally = { casesSent: 0, envelopesSent: 0, quarantined: 0, mediaFilesSent: 0 };
    if (!(await this.deps.cloud.probe(this.deps.signal))) return { reachable: false, ...tally, failure: 'cloud unreachable' };
    try {
      do {
        await this.sendCases(tally);
      } while (await this.sendMediaRound(tally));
    } catch (error) {
      if (this.deps.signal?.aborted) return { reachable: true, ...tally, failure: 'stopped' };
      const failure = error instanceof Error ? error.message : 'unknown';
      this.deps.store.sync.recordAttemptFailure(failure);
      return { reachable: true, ...tally, failure };
    } finally {
      this.media.release();
    }
    return { reachable: true, ...tally, failure: null };
  }

  /** Every case with changes; a refused case is quarantined and the others continue. */
  private async sendCases(tally: Tally): Promise<void> {
    const { store, logger } = this.deps;
    for (const pending of store.sync.pendingCases()) {
      try {
        tally.envelopesSent += await this.syncCase(pending);
        tally.casesSent += 1;
      } catch (error) {
        if (!(error instanceof CloudRejection)) throw error;
        store.sync.quarantine(pending.caseId, error.code);
        logger.error({ case: pending.caseId, code: error.code }, 'cloud refused a case; quarantined, others continue');
        tally.quarantined += 1;
      }
    }
  }

  /** True when something changed, so another round may follow. */
  private async sendMediaRound(tally: Tally): Promise<boolean> {
    const round = await this.media.sendRound((payload, contentType) => this.send('media-chunk', payload, contentType));
    if (round.status !== 'sent') return round.status === 'skipped';
    tally.envelopesSent += round.chunks;
    if (round.fileCompleted) tally.mediaFilesSent += 1;
    return round.chunks > 0;
  }

  private async syncCase(pending: PendingCase): Promise<number> {
    const { store, identity, now } = this.deps;
    const snapshot = snapshotFromStore(store, pending.caseId, identity.applianceId, { vitalsReceivedAfter: pending.vitalsSyncedThrough, outboxThrough: pending.throughOutboxId });
    const vitalsThrough = Math.max(pending.vitalsSyncedThrough, pending.newestVitalReceivedAt ?? 0);
    let sent = 0;
    let lastSequence = 0;
    if (pending.priority === 1) {
      lastSequence = await this.sendJson('alert', this.alertPayload(pending.caseId, snapshot.case.acuity ?? 2, snapshot.case.etaAt ?? null));
      sent += 1;
    }
    for (const part of splitBundle(caseToBundle(snapshot))) {
      const payload: CaseBundlePayload = { kind: 'case-bundle', caseId: pending.caseId, bundle: part };
      lastSequence = await this.sendJson('case-bundle', payload);
      sent += 1;
    }
    store.sync.markSent(pending, vitalsThrough, lastSequence, now());
    return sent;
  }

  private alertPayload(caseId: string, acuity: number, eta: number | null): AlertPayload {
    const latestVitals = this.deps.store.vitals.latestPerCode(caseId).filter((v) => (ALERT_CODES as readonly string[]).includes(v.code));
    return { kind: 'alert', caseId, acuity: acuity as AlertPayload['acuity'], latestVitals, eta };
  }

  private sendJson(kind: PayloadKind, payload: unknown): Promise<number> {
    return this.send(kind, Buffer.from(JSON.stringify(payload)), 'application/json');
  }

  /** Seals under a durably reserved sequence, posts, and returns the sequence once its receipt verified. */
  private async send(kind: PayloadKind, payload: Uint8Array, contentType: string): Promise<number> {
    const { store, identity, cloud, cloudBoxKey, now, signal } = this.deps;
    signal?.throwIfAborted();
    const sequence = store.sync.nextSequence();
    const envelope = await sealEnvelope({
      payload,
      kind,
      contentType,
      applianceId: identity.applianceId,
      sequence,
      createdAt: now(),
      signSecretKey: identity.signSecretKey,
      recipientBoxPublicKey: cloudBoxKey,
    });
    await cloud.send(envelope, { applianceId: identity.applianceId, sequence, sha256: envelopeSha256(envelope) }, signal);
    return sequence;
  }
}

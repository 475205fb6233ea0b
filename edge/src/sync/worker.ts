import { envelopeSha256, sealEnvelope, type AlertPayload, type CaseBundlePayload, type PayloadKind } from '@hema3n/cloud-sync/wire';
import { caseToBundle, snapshotFromStore, splitBundle } from '../fhir/index.js';
import type { Logger } from '../observability/index.js';
import type { PendingCase, Store, StoredIdentity } from '../store/index.js';
import { CloudRejection, type CloudClient } from './cloud-client.js';

export interface SyncPassReport {
  readonly reachable: boolean;
  readonly casesSent: number;
  readonly envelopesSent: number;
  readonly quarantined: number;
  /** Set when the pass stopped on a transport failure (to be retried with backoff). */
  readonly failure: string | null;
}

const ALERT_CODES = ['HR', 'RR', 'SPO2', 'SBP', 'DBP', 'TEMP', 'ETCO2'] as const;

/**
 * One pass of the outbox: critical cases first; for an ESI 1-2 case a small alert envelope goes
 * ahead of the bulk; each case's changes go as one or more transaction bundles (PUT to
 * deterministic ids, so a resend never duplicates). A case is marked sent only when every one
 * of its envelopes has a verified receipt.
 */
export class SyncWorker {
  constructor(
    private readonly deps: {
      readonly store: Store;
      readonly identity: StoredIdentity;
      readonly cloud: CloudClient;
      readonly cloudBoxKey: string;
      readonly logger: Logger;
      readonly now: () => number;
    },
  ) {}

  async runOnce(): Promise<SyncPassReport> {
    const { store, cloud } = this.deps;
    if (!(await cloud.probe())) return { reachable: false, casesSent: 0, envelopesSent: 0, quarantined: 0, failure: 'cloud unreachable' };
    let casesSent = 0;
    let envelopesSent = 0;
    let quarantined = 0;
    for (const pending of store.sync.pendingCases()) {
      try {
        envelopesSent += await this.syncCase(pending);
        casesSent += 1;
      } catch (error) {
        if (!(error instanceof CloudRejection)) {
          const failure = error instanceof Error ? error.message : 'unknown';
          store.sync.recordAttemptFailure(failure);
          return { reachable: true, casesSent, envelopesSent, quarantined, failure };
        }
        store.sync.quarantine(pending.caseId, error.code);
        this.deps.logger.error({ case: pending.caseId, code: error.code }, 'cloud refused a case; quarantined, others continue');
        quarantined += 1;
      }
    }
    return { reachable: true, casesSent, envelopesSent, quarantined, failure: null };
  }

  private async syncCase(pending: PendingCase): Promise<number> {
    const { store, identity, now } = this.deps;
    const snapshot = snapshotFromStore(store, pending.caseId, identity.applianceId, { vitalsReceivedAfter: pending.vitalsSyncedThrough });
    const vitalsThrough = Math.max(pending.vitalsSyncedThrough, pending.newestVitalReceivedAt ?? 0);
    let sent = 0;
    let lastSequence = 0;
    if (pending.priority === 1) {
      lastSequence = await this.send('alert', this.alertPayload(pending.caseId, snapshot.case.acuity ?? 2));
      sent += 1;
    }
    for (const part of splitBundle(caseToBundle(snapshot))) {
      const payload: CaseBundlePayload = { kind: 'case-bundle', caseId: pending.caseId, bundle: part };
      lastSequence = await this.send('case-bundle', payload);
      sent += 1;
    }
    store.sync.markSent(pending, vitalsThrough, lastSequence, now());
    return sent;
  }

  private alertPayload(caseId: string, acuity: number): AlertPayload {
    const latest = new Map<string, { code: string; value: number; unit: string; observedAt: number }>();
    for (const v of this.deps.store.vitals.forCase(caseId)) {
      if ((ALERT_CODES as readonly string[]).includes(v.code)) latest.set(v.code, { code: v.code, value: v.value, unit: v.unit, observedAt: v.observedAt });
    }
    return { kind: 'alert', caseId, acuity: acuity as AlertPayload['acuity'], latestVitals: [...latest.values()], eta: null };
  }

  private async send(kind: PayloadKind, payload: unknown): Promise<number> {
    const { store, identity, cloud, cloudBoxKey, now } = this.deps;
    const sequence = store.sync.nextSequence();
    const envelope = await sealEnvelope({
      payload: Buffer.from(JSON.stringify(payload)),
      kind,
      contentType: 'application/json',
      applianceId: identity.applianceId,
      sequence,
      createdAt: now(),
      signSecretKey: identity.signSecretKey,
      recipientBoxPublicKey: cloudBoxKey,
    });
    await cloud.send(envelope, { applianceId: identity.applianceId, sequence, sha256: envelopeSha256(envelope) });
    return sequence;
  }
}

import type { AuditLog } from '../audit/index.js';
import { ensureIdentity } from '../identity/index.js';
import type { Logger } from '../observability/index.js';
import type { Store } from '../store/index.js';
import { Backoff } from './backoff.js';
import { CloudClient } from './cloud-client.js';
import { SyncWorker, type SyncPassReport } from './worker.js';

export interface SyncSettings {
  readonly enabled: boolean;
  readonly cloudUrl?: string | undefined;
  readonly cloudBoxKey?: string | undefined;
  readonly cloudSignKey?: string | undefined;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly outboxAlarmRows: number;
  /** Preferred size of a media chunk; larger files get larger chunks when the cloud's chunk count demands it. */
  readonly mediaChunkBytes: number;
}

/**
 * Keeps the cloud up to date while a link exists: a pass every intervalMs when the last one
 * succeeded (live updates, not only at case close), exponential backoff with jitter while the
 * link is down. Without a configured cloud it is ready and idle, and says so.
 */
export class SyncPart {
  readonly name = 'sync';
  private worker: SyncWorker | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = true;
  private readonly backoff: Backoff;
  private last: (SyncPassReport & { at: number }) | undefined;
  private disabledReason: string | null = null;
  /** Aborted by close(): a pass under way (a long media upload) ends after, or cuts, the envelope in flight. */
  private stopping = new AbortController();

  constructor(
    private readonly deps: {
      readonly settings: SyncSettings;
      readonly mode: 'development' | 'production';
      readonly store: () => Store;
      readonly audit: () => AuditLog;
      readonly logger: Logger;
      readonly now: () => number;
    },
  ) {
    this.backoff = new Backoff(Math.min(1000, deps.settings.intervalMs), 60_000);
  }

  get ready(): boolean {
    return !this.stopped;
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.stopping = new AbortController();
    const { settings, logger } = this.deps;
    if (!settings.enabled || !settings.cloudUrl || !settings.cloudBoxKey || !settings.cloudSignKey) {
      this.disabledReason = settings.enabled ? 'no cloud configured (HEMA3N_CLOUD_URL, HEMA3N_CLOUD_BOX_KEY, HEMA3N_CLOUD_SIGN_KEY)' : 'disabled';
      logger.info({ reason: this.disabledReason }, 'sync idle');
      return;
    }
    const identity = await ensureIdentity({
      store: this.deps.store(),
      audit: this.deps.audit(),
      mode: this.deps.mode,
      actor: 'system',
      now: this.deps.now,
      warn: (m) => logger.warn(m),
    });
    const cloud = new CloudClient({ url: settings.cloudUrl, signPublicKey: settings.cloudSignKey, timeoutMs: settings.timeoutMs });
    this.worker = new SyncWorker({
      store: this.deps.store(),
      identity,
      cloud,
      cloudBoxKey: settings.cloudBoxKey,
      logger,
      now: this.deps.now,
      mediaChunkBytes: settings.mediaChunkBytes,
      signal: this.stopping.signal,
    });
    this.schedule(0);
  }

  /** Runs a pass now (or joins the one under way). */
  async syncNow(): Promise<SyncPassReport | undefined> {
    if (!this.worker) return undefined;
    if (this.running) await this.running;
    return this.pass();
  }

  describe(): Record<string, unknown> {
    const counts = this.ready ? this.deps.store().sync.counts() : undefined;
    const alarm = counts !== undefined && counts.pending >= this.deps.settings.outboxAlarmRows;
    return { state: this.disabledReason ?? (this.last?.reachable ? 'online' : 'offline'), lastPassAt: this.last?.at ?? null, failure: this.last?.failure ?? null, outboxAlarm: alarm, ...counts };
  }

  async close(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.stopping.abort();
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.pass().then((report) => this.schedule(report.failure ? this.backoff.nextDelayMs() : (this.backoff.reset(), this.deps.settings.intervalMs)));
    }, delayMs);
    this.timer.unref();
  }

  private async pass(): Promise<SyncPassReport> {
    const run = this.worker!.runOnce().catch((error: unknown): SyncPassReport => {
      this.deps.logger.error({ err: error }, 'sync pass failed');
      return { reachable: false, casesSent: 0, envelopesSent: 0, quarantined: 0, mediaFilesSent: 0, failure: 'internal error' };
    });
    this.running = run;
    const report = await run;
    this.running = undefined;
    this.last = { ...report, at: this.deps.now() };
    const counts = this.deps.store().sync.counts();
    if (counts.pending >= this.deps.settings.outboxAlarmRows) this.deps.logger.error({ pending: counts.pending }, 'outbox near its bound: the cloud has not taken data for a long time');
    return report;
  }
}

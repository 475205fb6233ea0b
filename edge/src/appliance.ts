import { ApiPart, type HealthSource } from './api/index.js';
import { CaseAssessor } from './assessor/index.js';
import { AuditPart } from './audit/index.js';
import type { FrozenConfig } from './config/index.js';
import { Lifecycle, type Part } from './lifecycle/index.js';
import type { Logger, Registry } from './observability/index.js';
import { InferencePart, resolveInferenceSettings } from './inference/index.js';
import { IngestEvents, IngestPart } from './ingest/index.js';
import { MediaPart } from './media/index.js';
import { CaseMonitor, LiveEvents } from './monitor/index.js';
import { StorePart } from './store/index.js';
import { SyncPart } from './sync/index.js';

export interface ApplianceContext {
  readonly config: FrozenConfig;
  readonly logger: Logger;
  readonly metrics: Registry;
  readonly now: () => number;
}

const SESSION_IDLE_MS = 10 * 60_000;
const HTTP_BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * Builds every part from the frozen config and runs them in the order of the design:
 * store → audit → … → api. Later parts receive earlier ones, never globals.
 */
export class Appliance implements HealthSource {
  readonly store: StorePart;
  readonly audit: AuditPart;
  readonly monitor: CaseMonitor;
  readonly assessor: CaseAssessor;
  readonly inference: InferencePart;
  readonly media: MediaPart;
  readonly ingest: IngestPart;
  readonly api: ApiPart;
  readonly sync: SyncPart;
  /** Accepted device data, after commit: the clinical engine and the tablet's live stream listen here. */
  readonly events = new IngestEvents();
  /** What the tablet's live case streams carry. */
  readonly live = new LiveEvents();
  private readonly lifecycle: Lifecycle;

  constructor(context: ApplianceContext) {
    const { config, logger, metrics, now } = context;
    this.store = new StorePart({
      stateDir: config.stateDir,
      mode: config.mode,
      keySettings: config.db,
      groupCommit: { maxRows: config.db.groupCommitMaxRows, maxDelayMs: config.db.groupCommitMaxDelayMs },
      checkpointInBackground: true,
      logger,
    });
    this.audit = new AuditPart(this.store, logger, now);
    const inference = resolveInferenceSettings({ configured: config.inference, cwd: config.stateDir, stateDir: config.stateDir, mode: config.mode, logger });
    this.inference = new InferencePart({ ...inference, logger, now });
    this.monitor = new CaseMonitor({ store: () => this.store.store, audit: () => this.audit.audit, ingest: this.events, live: this.live, logger, now });
    this.assessor = new CaseAssessor({
      intervalMs: config.inference.assessIntervalMs,
      store: () => this.store.store,
      audit: () => this.audit.audit,
      monitor: this.monitor,
      live: this.live,
      inference: () => this.inference.service,
      logger,
      metrics,
      now,
    });
    this.media = new MediaPart({ limits: config.media, store: () => this.store.store, audit: () => this.audit.audit, logger, now });
    const { tlsPort, tlsCertFile, tlsKeyFile } = config.mqtt;
    this.ingest = new IngestPart({
      settings: {
        host: config.mqtt.host,
        port: config.mqtt.port,
        maxPayloadBytes: config.mqtt.maxPayloadBytes,
        tls: tlsPort !== undefined && tlsCertFile && tlsKeyFile ? { port: tlsPort, certFile: tlsCertFile, keyFile: tlsKeyFile } : undefined,
      },
      store: () => this.store.store,
      audit: () => this.audit.audit,
      events: this.events,
      logger,
      metrics,
      now,
      media: {
        media: () => this.media.service,
        settings: { timeoutMs: config.media.transferTimeoutMs, maxImageBytes: config.media.maxImageBytes, maxAudioBytes: config.media.maxAudioBytes },
      },
    });
    this.api = new ApiPart(config.http, () => ({
      logger,
      metrics,
      now,
      store: this.store.store,
      audit: this.audit.audit,
      monitor: this.monitor,
      live: this.live,
      inference: () => this.inference.service,
      media: this.media.service,
      health: this,
      sessionIdleMs: SESSION_IDLE_MS,
      bodyLimitBytes: HTTP_BODY_LIMIT_BYTES,
    }));
    this.sync = new SyncPart({ settings: config.sync, mode: config.mode, store: () => this.store.store, audit: () => this.audit.audit, logger, now });
    // The assessor follows the monitor and stops before it and the model: closing it waits for its requests in flight.
    const parts: Part[] = [this.store, this.audit, this.inference, this.monitor, this.assessor, this.media, this.ingest, this.api, this.sync];
    this.lifecycle = new Lifecycle(parts, logger);
  }

  get ready(): boolean {
    return this.lifecycle.ready;
  }

  parts(): Record<string, unknown> {
    return this.lifecycle.health();
  }

  ports(): { http: number | null; mqtt: number | null } {
    return { http: this.api.port, mqtt: this.ingest.port };
  }

  start(signal?: AbortSignal): Promise<void> {
    return this.lifecycle.start(signal);
  }

  stop(): Promise<void> {
    return this.lifecycle.stop();
  }
}

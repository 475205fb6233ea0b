/**
 * The composition root: builds every part of the cloud service from the frozen config, starts
 * them in order, stops them in reverse. runCloud owns the process (signals, exit codes); nothing
 * else calls process.exit.
 */
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { FrozenCloudConfig } from './config.js';
import { loadCloudConfig } from './config.js';
import { DispatchBoard, DispatchStore } from './dispatch/index.js';
import { CloudError, toCloudError } from './errors.js';
import { EmbeddedFhirRepository, ExternalFhirRepository, FhirRouter, loadFhirDefinitions, type ExternalFhirAuth, type FhirRepository } from './fhir-store/index.js';
import { loadOrCreateIdentity, publicIdentity, type PublicCloudIdentity } from './identity/index.js';
import { EnvelopeIntake } from './intake/index.js';
import { MediaStore } from './media/index.js';
import { CloudMetrics, createLogger, type Logger } from './observability/index.js';
import { openRegistry } from './registry/index.js';
import { buildCloudApp, type HealthReport } from './service/index.js';
import { DEFAULT_MAX_PAYLOAD_BYTES } from './wire/index.js';

/** Unfinished media transfers older than this are dropped at start; the appliance resends them. */
const STALE_MEDIA_MS = 24 * 60 * 60 * 1000;

export interface CloudService {
  /** The bound HTTP port (the real one when the config asked for 0). */
  readonly port: number;
  readonly identity: PublicCloudIdentity;
  health(): HealthReport;
  /** Stops taking requests, lets in-flight ones finish, then closes the databases. Idempotent. */
  stop(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  now?: () => number;
}

function fhirAuth(fhir: FrozenCloudConfig['fhir']): ExternalFhirAuth {
  if (fhir.token !== undefined) return { kind: 'bearer', token: fhir.token };
  if (fhir.clientId !== undefined && fhir.clientSecret !== undefined && fhir.tokenUrl !== undefined) {
    return { kind: 'client-credentials', clientId: fhir.clientId, clientSecret: fhir.clientSecret, tokenUrl: fhir.tokenUrl, ...(fhir.scope ? { scope: fhir.scope } : {}) };
  }
  return { kind: 'none' };
}

function openFhirRepository(config: FrozenCloudConfig, now: () => number): FhirRepository {
  if (config.fhir.url === undefined) return EmbeddedFhirRepository.open(config.stateDir, now);
  return new ExternalFhirRepository({ baseUrl: config.fhir.url, auth: fhirAuth(config.fhir), now });
}

/** What was opened so far, closed in reverse on a failed start or at stop; each close in its own try. */
class Closers {
  private readonly stack: { name: string; close: () => Promise<void> | void }[] = [];

  constructor(private readonly logger: Logger) {}

  push<T>(name: string, value: T, close: (value: T) => Promise<void> | void): T {
    this.stack.push({ name, close: () => close(value) });
    return value;
  }

  async closeAll(): Promise<void> {
    while (this.stack.length > 0) {
      const { name, close } = this.stack.pop()!;
      try {
        await close();
        this.logger.info({ part: name }, 'part stopped');
      } catch (err) {
        this.logger.error({ part: name, err }, 'part failed to stop cleanly');
      }
    }
  }
}

async function listen(app: FastifyInstance, config: FrozenCloudConfig): Promise<number> {
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (cause) {
    throw new CloudError('LISTEN_FAILED', `Cannot listen for HTTP on ${config.host}:${config.port}`, { cause });
  }
  return (app.server.address() as AddressInfo).port;
}

/** Starts the service on a frozen config; throws a CloudError when it cannot. */
export async function startCloud(config: FrozenCloudConfig, options: StartOptions = {}): Promise<CloudService> {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const now = options.now ?? Date.now;
  const closers = new Closers(logger);
  let port: number | null = null;
  try {
    mkdirSync(config.stateDir, { recursive: true, mode: 0o700 });
    const identity = await loadOrCreateIdentity(config.stateDir, now);
    loadFhirDefinitions();
    const { registry } = closers.push('registry', openRegistry(config.stateDir), (opened) => opened.close());
    const dispatchStore = closers.push('dispatch', DispatchStore.open(config.stateDir), (store) => store.close());
    const media = closers.push('media', MediaStore.open(config.stateDir), (store) => store.close());
    media.dropStale(now() - STALE_MEDIA_MS);
    const fhir = closers.push('fhir-store', openFhirRepository(config, now), (repository) => repository.close());
    const metrics = new CloudMetrics();
    const board = new DispatchBoard(dispatchStore, now);
    // The payload limit bounds decompression; the envelope limit is what an upload may weigh.
    const limits = { maxEnvelopeBytes: config.maxEnvelopeBytes, maxPayloadBytes: DEFAULT_MAX_PAYLOAD_BYTES };
    const intake = new EnvelopeIntake({ registry, identity, metrics, logger, now, limits, fhir, board, media });
    const health = (): HealthReport => ({
      ready: port !== null,
      port,
      parts: {
        registry: { ready: true },
        fhirStore: { ready: true, kind: fhir.kind },
        dispatch: { ready: true, subscribers: board.subscribers },
        http: { ready: port !== null, port },
      },
    });
    const app = buildCloudApp({
      logger, metrics, intake, board, fhir, health, now,
      fhirRouter: fhir.kind === 'embedded' ? new FhirRouter(fhir) : undefined,
      fhirApiToken: config.fhirApiToken,
      maxEnvelopeBytes: config.maxEnvelopeBytes,
    });
    closers.push('http', app, async (server) => {
      port = null;
      await server.close();
    });
    port = await listen(app, config);
    logger.info({ port, fhirStore: fhir.kind }, 'cloud ready');
    let stopping: Promise<void> | undefined;
    return {
      port,
      identity: publicIdentity(identity),
      health,
      stop: () => (stopping ??= closers.closeAll()),
    };
  } catch (error) {
    logger.fatal({ err: error }, 'cloud failed to start');
    await closers.closeAll();
    throw toCloudError(error);
  }
}

/** `hema3n-cloud start`: runs until SIGTERM/SIGINT, then drains and exits 0 (exit codes as in the error catalogue). */
export async function runCloud(env: Readonly<Record<string, string | undefined>>, cwd: string): Promise<never> {
  let service: CloudService;
  let logger: Logger | undefined;
  try {
    const config = loadCloudConfig({ env, cwd });
    logger = createLogger({ level: config.logLevel });
    service = await startCloud(config, { logger });
  } catch (error) {
    const failure = toCloudError(error);
    process.stderr.write(`${JSON.stringify({ error: { code: failure.code, message: failure.message, ...(failure.issues.length > 0 ? { issues: failure.issues } : {}) } })}\n`);
    process.exit(failure.exitCode);
  }
  const onSignal = (signal: NodeJS.Signals): void => {
    logger?.info({ signal }, 'stopping');
    void service.stop().then(
      () => {
        logger?.info('stopped');
        process.exit(0);
      },
      () => process.exit(70),
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  return new Promise<never>(() => {});
}

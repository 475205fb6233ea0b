import Fastify, { type FastifyInstance } from 'fastify';
import type { AuditLog } from '../audit/index.js';
import type { Logger, Registry } from '../observability/index.js';
import type { InferenceService } from '../inference/index.js';
import type { CaseMonitor, LiveEvents } from '../monitor/index.js';
import type { MediaService } from '../media/index.js';
import type { Store } from '../store/index.js';
import { registerAccessPolicy } from './access.js';
import { registerAuth } from './auth.js';
import { registerCareRoutes } from './care.js';
import { registerDeviceRoutes } from './devices.js';
import { registerCaseRoutes } from './cases.js';
import { registerClinicalRoutes } from './clinical.js';
import { registerLiveRoutes } from './live.js';
import { registerMediaRoutes } from './media.js';
import { problemErrorHandler } from './problem.js';
import { PinAttempts } from './pin-attempts.js';
import { SessionRegistry } from './sessions.js';
import { registerTriageRoutes } from './triage.js';
import { registerTabletApp } from './ui.js';

export interface HealthSource {
  readonly ready: boolean;
  parts(): Record<string, unknown>;
  ports(): { http: number | null; mqtt: number | null };
}

export interface ApiDependencies {
  readonly logger: Logger;
  readonly metrics: Registry;
  readonly health: HealthSource;
  /** The PHI routes exist only once the store is open. */
  readonly store: Store;
  readonly audit: AuditLog;
  readonly monitor: CaseMonitor;
  readonly live: LiveEvents;
  readonly media: MediaService;
  readonly inference: () => InferenceService;
  readonly now: () => number;
  readonly sessionIdleMs: number;
  readonly bodyLimitBytes: number;
}

/** Builds the HTTP API. Transport only: every route delegates to the domain parts. */
export function buildApiServer(deps: ApiDependencies, options: { https?: { cert: Buffer; key: Buffer } | undefined } = {}): FastifyInstance {
  const settings = { logger: false, bodyLimit: deps.bodyLimitBytes, return503OnClosing: true };
  // With the appliance certificate the listener speaks HTTPS only; plain HTTP is for development.
  const app = (options.https ? Fastify({ ...settings, https: options.https }) : Fastify(settings)) as unknown as FastifyInstance;
  app.setErrorHandler(problemErrorHandler(deps.logger));
  // The route template, never the raw URL or body: those can carry PHI.
  app.addHook('onResponse', async (request, reply) => {
    deps.logger.debug(
      { method: request.method, route: request.routeOptions.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      'http request',
    );
  });

  app.get('/health', async (_request, reply) => {
    const body = { ready: deps.health.ready, parts: deps.health.parts(), ports: deps.health.ports() };
    return reply.status(body.ready ? 200 : 503).send(body);
  });

  app.get('/metrics', async (_request, reply) => {
    return reply.type(deps.metrics.contentType).send(await deps.metrics.metrics());
  });

  const sessions = new SessionRegistry(deps.sessionIdleMs, deps.now);
  registerAuth(app, { store: deps.store, audit: deps.audit, sessions, pinAttempts: new PinAttempts(deps.now) });
  registerAccessPolicy(app, deps);
  registerCaseRoutes(app, deps);
  registerClinicalRoutes(app, deps);
  registerLiveRoutes(app, deps);
  registerMediaRoutes(app, deps);
  registerCareRoutes(app, deps);
  registerDeviceRoutes(app, deps);
  registerTriageRoutes(app, deps);
  registerTabletApp(app);
  return app;
}

import Fastify, { type FastifyInstance } from 'fastify';
import type { AuditLog } from '../audit/index.js';
import type { Logger, Registry } from '../observability/index.js';
import type { CaseMonitor, LiveEvents } from '../monitor/index.js';
import type { Store } from '../store/index.js';
import { registerAuth } from './auth.js';
import { registerCaseRoutes } from './cases.js';
import { registerClinicalRoutes } from './clinical.js';
import { registerLiveRoutes } from './live.js';
import { problemErrorHandler } from './problem.js';
import { SessionRegistry } from './sessions.js';

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
  readonly now: () => number;
  readonly sessionIdleMs: number;
  readonly bodyLimitBytes: number;
}

/** Builds the HTTP API. Transport only: every route delegates to the domain parts. */
export function buildApiServer(deps: ApiDependencies): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: deps.bodyLimitBytes, return503OnClosing: true });
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
  registerAuth(app, { store: deps.store, audit: deps.audit, sessions });
  registerCaseRoutes(app, deps);
  registerClinicalRoutes(app);
  registerLiveRoutes(app, deps);
  return app;
}

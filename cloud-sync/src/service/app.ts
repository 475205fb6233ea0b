import Fastify, { type FastifyInstance } from 'fastify';
import type { DispatchBoard } from '../dispatch/index.js';
import type { FhirRepository, FhirRouter } from '../fhir-store/index.js';
import type { EnvelopeIntake } from '../intake/index.js';
import type { CloudMetrics, Logger } from '../observability/index.js';
import { errorHandler, notFoundHandler } from './errors.js';
import { registerDispatchRoutes } from './routes/dispatch.js';
import { registerEnvelopeRoutes } from './routes/envelopes.js';
import { registerFhirRoutes } from './routes/fhir.js';
import { registerOpsRoutes, type HealthReport } from './routes/ops.js';

export interface CloudAppDependencies {
  logger: Logger;
  metrics: CloudMetrics;
  intake: EnvelopeIntake;
  board: DispatchBoard;
  fhir: FhirRepository;
  /** Present when the store is embedded: the service is then a FHIR server too. */
  fhirRouter: FhirRouter | undefined;
  fhirApiToken: string | undefined;
  maxEnvelopeBytes: number;
  health: () => HealthReport;
  now: () => number;
}

/** The HTTP surface. Transport only: every route hands a typed request to the domain parts. */
export function buildCloudApp(deps: CloudAppDependencies): FastifyInstance {
  const app = Fastify({ logger: false, return503OnClosing: true, forceCloseConnections: 'idle' });
  app.setErrorHandler(errorHandler(deps.logger));
  app.setNotFoundHandler(notFoundHandler);
  // The route template, never the raw URL (a search can carry identifiers) or the body.
  app.addHook('onResponse', async (request, reply) => {
    deps.logger.debug({ method: request.method, route: request.routeOptions.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'http request');
  });
  registerOpsRoutes(app, deps);
  registerEnvelopeRoutes(app, deps);
  registerDispatchRoutes(app, deps);
  if (deps.fhirRouter) registerFhirRoutes(app, { router: deps.fhirRouter, apiToken: deps.fhirApiToken });
  return app;
}

export type { HealthReport };

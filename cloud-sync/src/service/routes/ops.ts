import type { FastifyInstance } from 'fastify';
import type { CloudMetrics } from '../../observability/index.js';

export interface HealthReport {
  ready: boolean;
  parts: Record<string, { ready: boolean } & Record<string, unknown>>;
  port: number | null;
}

/** GET /health (503 until every part is ready) and GET /metrics (Prometheus text). */
export function registerOpsRoutes(app: FastifyInstance, deps: { health: () => HealthReport; metrics: CloudMetrics }): void {
  app.get('/health', async (_request, reply) => {
    const report = deps.health();
    return reply.status(report.ready ? 200 : 503).send(report);
  });
  app.get('/metrics', async (_request, reply) => reply.type(deps.metrics.contentType).send(deps.metrics.render()));
}

import type { FastifyInstance } from 'fastify';
import type { EnvelopeIntake } from '../../intake/index.js';
import type { CloudMetrics, Logger } from '../../observability/index.js';
import { errorHandler } from '../errors.js';

/**
 * POST /v1/envelopes: the raw envelope bytes in, the signed receipt out. The body limit is the
 * envelope limit, so an oversized upload is refused from its Content-Length before it is read.
 */
export function registerEnvelopeRoutes(app: FastifyInstance, deps: { intake: EnvelopeIntake; maxEnvelopeBytes: number; metrics: CloudMetrics; logger: Logger }): void {
  app.register(async (scope) => {
    // The intake counts what it refuses; an upload refused before it (too large, wrong type) is counted here.
    scope.setErrorHandler(errorHandler(deps.logger, (error) => deps.metrics.envelopesRejected.inc({ code: error.code })));
    scope.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: deps.maxEnvelopeBytes }, (_request, body, done) => done(null, body));
    scope.post('/v1/envelopes', { bodyLimit: deps.maxEnvelopeBytes }, async (request, reply) => {
      const bytes = request.body as Buffer;
      const result = await deps.intake.receive(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return reply.header('hema3n-intake', result.status).send(result.receipt);
    });
  });
}

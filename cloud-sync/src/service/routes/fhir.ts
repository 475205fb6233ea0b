import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CloudError } from '../../errors.js';
import type { FhirRouter, SearchQuery } from '../../fhir-store/index.js';
import { FHIR_JSON } from '../errors.js';

const FHIR_BASE = '/fhir/R4';
/** A transaction with a large photo in a Binary is big; this is the HTTP body limit for FHIR writes. */
const FHIR_BODY_LIMIT = 128 * 1024 * 1024;

function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header ?? '');
  const expected = Buffer.from(`Bearer ${token}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function parseFhirJson(_request: FastifyRequest, body: string, done: (error: Error | null, value?: unknown) => void): void {
  try {
    done(null, JSON.parse(body));
  } catch {
    done(new CloudError('FHIR_INVALID', 'Request body is not JSON', { issues: [{ field: 'body', problem: 'must be JSON' }] }));
  }
}

/** The embedded store's FHIR REST API; a thin adapter over FhirRouter. */
export function registerFhirRoutes(app: FastifyInstance, deps: { router: FhirRouter; apiToken: string | undefined }): void {
  app.register(async (scope) => {
    scope.removeContentTypeParser('application/json');
    for (const type of ['application/json', 'application/fhir+json']) scope.addContentTypeParser(type, { parseAs: 'string', bodyLimit: FHIR_BODY_LIMIT }, parseFhirJson);
    const { apiToken } = deps;
    if (apiToken !== undefined) {
      scope.addHook('onRequest', async (request) => {
        if (!bearerMatches(request.headers.authorization, apiToken)) throw new CloudError('FHIR_UNAUTHORIZED', 'The FHIR API needs a valid bearer token');
      });
    }
    const handler = async (request: FastifyRequest, reply: FastifyReply) => {
      const path = (request.params as { '*'?: string })['*'] ?? '';
      const response = await deps.router.handle({
        method: request.method,
        path,
        query: request.query as SearchQuery,
        body: request.body,
        baseUrl: `${request.protocol}://${request.host}${FHIR_BASE}`,
      });
      return reply.status(response.status).headers(response.headers).type(FHIR_JSON).send(response.body);
    };
    scope.route({ method: ['GET', 'POST'], url: FHIR_BASE, handler, bodyLimit: FHIR_BODY_LIMIT });
    scope.route({ method: ['GET', 'POST'], url: `${FHIR_BASE}/*`, handler, bodyLimit: FHIR_BODY_LIMIT });
  });
}

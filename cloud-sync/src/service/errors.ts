import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { CloudError, toCloudError, toOperationOutcome, type CloudErrorCode } from '../errors.js';
import type { Logger } from '../observability/index.js';

export const FHIR_JSON = 'application/fhir+json; charset=utf-8';
/** A signed rejection receipt travels next to the OperationOutcome, as URL-safe base64 of its JSON. */
export const RECEIPT_HEADER = 'hema3n-receipt';

/** Fastify's own 4xx (body too large, bad content type, no route) in our codes. */
function fromFastify(error: FastifyError, request: FastifyRequest): CloudError | undefined {
  const { statusCode, code } = error;
  if (error instanceof CloudError || !statusCode || statusCode >= 500) return undefined;
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    const kind: CloudErrorCode = request.routeOptions.url === '/v1/envelopes' ? 'ENVELOPE_TOO_LARGE' : 'INPUT_INVALID';
    return new CloudError(kind, 'Request body is too large');
  }
  if (statusCode === 404) return new CloudError('NOT_FOUND', 'No such resource');
  return new CloudError('INPUT_INVALID', `Request rejected (${code ?? statusCode})`);
}

/** The one place where anything thrown in a route becomes an HTTP answer: status + OperationOutcome. */
export function sendError(reply: FastifyReply, error: CloudError): FastifyReply {
  if (error.receipt) void reply.header(RECEIPT_HEADER, Buffer.from(JSON.stringify(error.receipt)).toString('base64url'));
  if (error.code === 'FHIR_UNAUTHORIZED') void reply.header('www-authenticate', 'Bearer');
  return reply.status(error.status).type(FHIR_JSON).send(toOperationOutcome(error));
}

/** `refusedByTransport` hears of the errors the server raised before a route ran (size limit, content type). */
export function errorHandler(logger: Logger, refusedByTransport: (error: CloudError) => void = () => undefined) {
  return (raw: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    const transport = fromFastify(raw, request);
    if (transport) refusedByTransport(transport);
    const error = transport ?? toCloudError(raw);
    if (error.status >= 500) logger.error({ err: raw, code: error.code, route: request.routeOptions.url }, 'request failed');
    void sendError(reply, error);
  };
}

export function notFoundHandler(_request: FastifyRequest, reply: FastifyReply): void {
  void sendError(reply, new CloudError('NOT_FOUND', 'No such resource'));
}

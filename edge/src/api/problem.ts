import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Hema3nError, toHema3nError, type FieldIssue } from '../errors.js';
import type { Logger } from '../observability/index.js';

/** RFC 9457 problem details, with our stable code and the per-field issues. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  issues?: readonly FieldIssue[];
}

export function toProblem(error: Hema3nError): Problem {
  return {
    type: `https://hema3n.dev/errors/${error.code}`,
    title: error.code,
    status: error.status,
    detail: error.message,
    code: error.code,
    ...(error.issues.length > 0 ? { issues: error.issues } : {}),
  };
}

/** The one place where anything thrown in a route becomes an HTTP answer. */
export function problemErrorHandler(logger: Logger) {
  return (raw: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): void => {
    const error = fromFastify(raw) ?? toHema3nError(raw);
    if (error.status >= 500) logger.error({ err: raw, route: request.routeOptions.url }, 'request failed');
    void reply.status(error.status).type('application/problem+json').send(toProblem(error));
  };
}

/** Fastify's own 4xx (bad JSON, body too large, wrong content type) keep their status. */
function fromFastify(error: FastifyError | Error): Hema3nError | undefined {
  const { statusCode, code } = error as FastifyError;
  if (error instanceof Hema3nError || !statusCode || statusCode >= 500) return undefined;
  const kind = statusCode === 404 ? 'NOT_FOUND' : 'INPUT_INVALID';
  const detail = code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'Request body is too large' : `Request rejected (${code ?? statusCode})`;
  return new Hema3nError(kind, detail);
}

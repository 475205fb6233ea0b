import type { ServerResponse } from 'node:http';
import type { Binary } from '@medplum/fhirtypes';
import type { FastifyInstance } from 'fastify';
import { CloudError } from '../../errors.js';
import {
  caseMessage,
  DISPATCH_PAGE_CSP,
  DISPATCH_PAGE_HTML,
  snapshotMessage,
  SSE_HEARTBEAT,
  SSE_HEARTBEAT_MS,
  SSE_RETRY,
  type DispatchBoard,
} from '../../dispatch/index.js';
import type { FhirRepository } from '../../fhir-store/index.js';
import type { CloudMetrics } from '../../observability/index.js';

export interface DispatchRouteDependencies {
  board: DispatchBoard;
  fhir: FhirRepository;
  metrics: CloudMetrics;
  now: () => number;
}

/** Open event streams, so a shutdown can end them (they would otherwise hold the server open forever). */
class StreamSet {
  private readonly open = new Set<() => void>();

  add(end: () => void): () => void {
    this.open.add(end);
    return () => this.open.delete(end);
  }

  endAll(): void {
    for (const end of [...this.open]) end();
  }

  get size(): number {
    return this.open.size;
  }
}

function startStream(raw: ServerResponse, deps: DispatchRouteDependencies, streams: StreamSet): void {
  raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  raw.write(SSE_RETRY + snapshotMessage(deps.board.snapshot(), deps.now()));
  const unsubscribe = deps.board.subscribe((summary) => raw.write(caseMessage(summary, deps.now())));
  const heartbeat = setInterval(() => raw.write(SSE_HEARTBEAT), SSE_HEARTBEAT_MS);
  let ended = false;
  const end = (): void => {
    if (ended) return;
    ended = true;
    clearInterval(heartbeat);
    unsubscribe();
    forget();
    deps.metrics.dispatchSubscribers.set(streams.size);
    raw.end();
  };
  const forget = streams.add(end);
  deps.metrics.dispatchSubscribers.set(streams.size);
  raw.on('close', end);
}

/** The board page, its live event stream (snapshot on connect, then one event per case update), and case photos. */
export function registerDispatchRoutes(app: FastifyInstance, deps: DispatchRouteDependencies): void {
  const streams = new StreamSet();
  app.addHook('preClose', async () => streams.endAll());

  app.get('/dispatch', async (_request, reply) =>
    reply.header('content-security-policy', DISPATCH_PAGE_CSP).header('cache-control', 'no-store').header('x-content-type-options', 'nosniff').type('text/html; charset=utf-8').send(DISPATCH_PAGE_HTML),
  );

  // Browsers ask for it on every board load; an empty answer keeps their consoles free of 404s.
  app.get('/favicon.ico', async (_request, reply) => reply.status(204).send());

  app.get('/dispatch/events', (_request, reply) => {
    reply.hijack();
    startStream(reply.raw, deps, streams);
  });

  app.get<{ Params: { binaryId: string } }>('/dispatch/photos/:binaryId', async (request, reply) => {
    const photo = deps.board.photo(request.params.binaryId);
    if (!photo) throw new CloudError('NOT_FOUND', 'No such photo on the board');
    const binary = await deps.fhir.read<Binary>('Binary', photo.binaryId);
    if (!binary.data || !binary.contentType?.startsWith('image/')) throw new CloudError('NOT_FOUND', 'No such photo on the board');
    return reply.type(binary.contentType).header('cache-control', 'private, max-age=3600').header('x-content-type-options', 'nosniff').send(Buffer.from(binary.data, 'base64'));
  });
}

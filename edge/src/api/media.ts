import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { Hema3nError } from '../errors.js';
import { MediaError, type MediaContent, type MediaLimits, type MediaService } from '../media/index.js';
import { requireCrew } from './auth.js';
import { parseInput } from './validation.js';

const CaseId = z.strictObject({ id: z.uuid() });
const MediaId = z.strictObject({ id: z.uuid() });

/** One file per request, a few small fields at most: anything else is not an upload from the tablet. */
const MULTIPART_LIMITS = { files: 1, fields: 4, parts: 8, fieldSize: 1024, headerPairs: 32 };

/**
 * Photos and recordings of a case. Uploads are multipart, streamed and held in memory only (never
 * written to a temporary file); reads and deletes go through the media service, which audits them.
 */
export function registerMediaRoutes(app: FastifyInstance, deps: { media: MediaService }): void {
  const { media } = deps;

  // The multipart parser exists only inside this scope: the other routes keep taking JSON only.
  void app.register(async (scope) => {
    const largest = Math.max(media.limits.maxImageBytes, media.limits.maxAudioBytes);
    await scope.register(multipart, { limits: { ...MULTIPART_LIMITS, fileSize: largest }, throwFileSizeLimit: false });

    scope.post('/api/v1/cases/:id/media', async (request, reply) => {
      const crew = requireCrew(request);
      const { id } = parseInput(CaseId, request.params, 'case id');
      const part = await request.file();
      if (!part) throw new Hema3nError('INPUT_INVALID', 'The upload holds no file', { issues: [{ field: 'file', problem: 'is required' }] });
      const data = await readCapped(part.file, limitFor(part.mimetype, media.limits));
      const stored = await media.add({ caseId: id, data, declaredContentType: part.mimetype, actor: `crew:${crew.crewId}` });
      return reply.status(201).send(stored);
    });
  });

  app.get('/api/v1/cases/:id/media', async (request) => {
    const crew = requireCrew(request);
    const { id } = parseInput(CaseId, request.params, 'case id');
    return media.list(id, `crew:${crew.crewId}`);
  });

  app.get('/api/v1/media/:id', async (request, reply) => {
    const crew = requireCrew(request);
    const { id } = parseInput(MediaId, request.params, 'media id');
    return sendFile(reply, media.read(id, `crew:${crew.crewId}`));
  });

  app.get('/api/v1/media/:id/thumbnail', async (request, reply) => {
    const crew = requireCrew(request);
    const { id } = parseInput(MediaId, request.params, 'media id');
    return sendFile(reply, media.thumbnail(id, `crew:${crew.crewId}`));
  });

  app.delete('/api/v1/media/:id', async (request, reply) => {
    const crew = requireCrew(request);
    const { id } = parseInput(MediaId, request.params, 'media id');
    media.delete(id, `crew:${crew.crewId}`);
    return reply.status(204).send();
  });
}

/** PHI: never cached by the browser, never sniffed into another type. */
function sendFile(reply: FastifyReply, content: MediaContent): FastifyReply {
  return reply.type(content.contentType).header('cache-control', 'no-store').header('x-content-type-options', 'nosniff').send(content.data);
}

/** The declared family picks the limit; an undeclared file may be either, so the larger applies until it is identified. */
function limitFor(mimetype: string, limits: MediaLimits): number {
  const essence = mimetype.split(';')[0]!.trim().toLowerCase();
  if (essence.startsWith('image/')) return limits.maxImageBytes;
  if (essence.startsWith('audio/')) return limits.maxAudioBytes;
  return Math.max(limits.maxImageBytes, limits.maxAudioBytes);
}

/**
 * Collects the file in memory. Past the limit the bytes are read and dropped (busboy stops at the
 * largest limit anyway), so the client still gets its 413 instead of a reset connection.
 */
async function readCapped(stream: AsyncIterable<Buffer> & { truncated: boolean }, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    total += chunk.length;
    if (total <= limit) chunks.push(chunk);
    else chunks.length = 0;
  }
  if (total > limit || stream.truncated) throw new MediaError('MEDIA_TOO_LARGE', `The upload is over the limit of ${limit} bytes`);
  return Buffer.concat(chunks, total);
}

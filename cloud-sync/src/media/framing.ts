import { z } from 'zod';
import { CloudError, type CloudIssue } from '../errors.js';

/**
 * A media-chunk envelope's payload (docs/CLOUD.md, "Media chunks"):
 *
 *   0  4  magic "H3MC"
 *   4  4  D = descriptor length, big-endian, 2 to 4096
 *   8  D  descriptor, UTF-8 JSON (MediaChunkDescriptor)
 * 8+D  …  the chunk's bytes (at least one)
 *
 * Every chunk repeats the whole descriptor, so chunks can arrive in any order and the first one
 * to arrive opens the transfer. The envelope's content type is the media's.
 */
export const MEDIA_CHUNK_MAGIC = Buffer.from('H3MC', 'ascii');
const PREFIX_BYTES = 8;
const MAX_DESCRIPTOR_BYTES = 4096;
/** Per file; the same ceilings as the appliance's reassembler (docs/MEDIA.md). */
export const MAX_MEDIA_BYTES = 64 * 1024 * 1024;
export const MAX_MEDIA_CHUNKS = 4096;

const FHIR_ID = '[A-Za-z0-9\\-.]{1,64}';
const reference = (type: string) => z.string().regex(new RegExp(`^${type}/${FHIR_ID}$`), `must be ${type}/<id>`);

export const MediaChunkDescriptor = z
  .strictObject({
    mediaId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 of A-Z a-z 0-9 _ -'),
    caseId: z.string().min(1).max(128),
    index: z.number().int().min(0),
    chunkCount: z.number().int().min(1).max(MAX_MEDIA_CHUNKS),
    totalBytes: z.number().int().min(1).max(MAX_MEDIA_BYTES),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters'),
    contentType: z.string().regex(/^(image|audio|video)\/[A-Za-z0-9.+-]{1,64}$/, 'must be an image/, audio/ or video/ media type'),
    subject: reference('Patient').optional(),
    encounter: reference('Encounter').optional(),
    /** When it was taken, ms since the epoch. */
    takenAt: z.number().int().min(0).optional(),
    /**
     * The Binary id the appliance's own case bundle already points at (its Media's content.url).
     * With it the bytes land there and no second Media is made; without it the cloud names both.
     */
    binaryId: z.string().regex(new RegExp(`^${FHIR_ID}$`), 'must be a FHIR id: 1-64 of A-Z a-z 0-9 - .').optional(),
  })
  .refine((d) => d.index < d.chunkCount, { path: ['index'], message: 'must be below chunkCount' })
  .refine((d) => d.chunkCount <= d.totalBytes, { path: ['chunkCount'], message: 'cannot exceed totalBytes (no chunk is empty)' });

export type MediaChunkDescriptor = z.infer<typeof MediaChunkDescriptor>;

export interface MediaChunk {
  descriptor: MediaChunkDescriptor;
  bytes: Uint8Array;
}

function invalid(issues: CloudIssue[]): never {
  throw new CloudError('MEDIA_CHUNK_INVALID', `Media chunk is invalid: ${issues.map((i) => `${i.field} ${i.problem}`).join('; ')}`, { issues });
}

export function parseMediaChunk(payload: Uint8Array): MediaChunk {
  const buffer = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  if (buffer.length < PREFIX_BYTES || !buffer.subarray(0, 4).equals(MEDIA_CHUNK_MAGIC)) invalid([{ field: 'payload', problem: 'does not start with the H3MC media chunk framing' }]);
  const descriptorBytes = buffer.readUInt32BE(4);
  if (descriptorBytes < 2 || descriptorBytes > MAX_DESCRIPTOR_BYTES) invalid([{ field: 'descriptorLength', problem: `must be 2 to ${MAX_DESCRIPTOR_BYTES}` }]);
  const end = PREFIX_BYTES + descriptorBytes;
  if (buffer.length <= end) invalid([{ field: 'payload', problem: 'ends before the chunk bytes' }]);
  let json: unknown;
  try {
    json = JSON.parse(buffer.subarray(PREFIX_BYTES, end).toString('utf8'));
  } catch {
    invalid([{ field: 'descriptor', problem: 'is not JSON' }]);
  }
  const parsed = MediaChunkDescriptor.safeParse(json);
  if (!parsed.success) invalid(parsed.error.issues.map((issue) => ({ field: `descriptor.${issue.path.join('.')}`, problem: issue.message })));
  return { descriptor: parsed.data, bytes: buffer.subarray(end) };
}

/** The appliance side of the framing; the tests and tools build chunks with it. */
export function frameMediaChunk(descriptor: MediaChunkDescriptor, bytes: Uint8Array): Uint8Array {
  const json = Buffer.from(JSON.stringify(descriptor), 'utf8');
  const prefix = Buffer.alloc(PREFIX_BYTES);
  MEDIA_CHUNK_MAGIC.copy(prefix, 0);
  prefix.writeUInt32BE(json.length, 4);
  return Buffer.concat([prefix, json, bytes]);
}

import { MAX_MEDIA_CHUNKS, MediaChunkDescriptor } from '@hema3n/cloud-sync/media-chunk';
import { fhirId } from '../fhir/index.js';
import type { PendingMedia } from '../store/index.js';

/** Media travel in chunks of this size unless configured otherwise (sync.mediaChunkBytes). */
export const DEFAULT_MEDIA_CHUNK_BYTES = 256 * 1024;

export interface ChunkPlan {
  readonly chunkBytes: number;
  readonly chunkCount: number;
}

/**
 * Chunks of the preferred size; bigger when the file would otherwise need more chunks than the
 * cloud joins (MAX_MEDIA_CHUNKS). Every chunk but the last is chunkBytes long, none is empty.
 */
export function planChunks(totalBytes: number, preferredChunkBytes: number): ChunkPlan {
  const chunkBytes = Math.max(preferredChunkBytes, Math.ceil(totalBytes / MAX_MEDIA_CHUNKS));
  return { chunkBytes, chunkCount: Math.ceil(totalBytes / chunkBytes) };
}

/** The byte range [start, end) of chunk `index`. */
export function chunkRange(plan: ChunkPlan, totalBytes: number, index: number): { start: number; end: number } {
  const start = index * plan.chunkBytes;
  return { start, end: Math.min(totalBytes, start + plan.chunkBytes) };
}

export type SharedDescriptor = Omit<MediaChunkDescriptor, 'index'>;

/**
 * What every chunk of the file says about it. binaryId is the Binary the case bundle's Media
 * already points at (edge/src/fhir/media.ts), so the cloud stores the bytes there and makes no
 * Media of its own; subject and encounter are the bundle's Patient and Encounter.
 */
export function sharedDescriptor(media: PendingMedia, applianceId: string, plan: ChunkPlan): SharedDescriptor {
  return {
    mediaId: media.id,
    caseId: media.caseId,
    chunkCount: plan.chunkCount,
    totalBytes: media.bytes,
    sha256: media.sha256,
    contentType: media.contentType,
    binaryId: fhirId(applianceId, 'Binary', media.id),
    subject: `Patient/${fhirId(applianceId, 'Patient', media.patientId)}`,
    encounter: `Encounter/${fhirId(applianceId, 'Encounter', media.caseId)}`,
    takenAt: media.createdAt,
  };
}

/** The cloud's own rules for a descriptor (id pattern, size and count ceilings): what it would refuse is never sent. */
export function descriptorProblems(descriptor: SharedDescriptor): string[] {
  const parsed = MediaChunkDescriptor.safeParse({ ...descriptor, index: 0 });
  return parsed.success ? [] : parsed.error.issues.map((issue) => issue.path.join('.'));
}

import type { Logger } from '../observability/index.js';
import {
  assertAcceptedType,
  DEFAULT_REASSEMBLY_LIMITS,
  isMediaError,
  MediaError,
  MediaReassembler,
  mediaManifestSchema,
  type MediaIntake,
  type MediaManifest,
  type MediaSummary,
  type ReassembledMedia,
  type TransferProgress,
} from '../media/index.js';
import type { Store } from '../store/index.js';
import { deviceTopic } from './payloads/index.js';

/** A chunk on hema3n/v1/devices/{id}/media/{mediaId}: `HMC1`, uint32 LE index, then the bytes. */
export const MEDIA_CHUNK_MAGIC = 'HMC1';
export const MEDIA_CHUNK_HEADER_BYTES = 8;

export interface MediaTransferSettings {
  /** A transfer with no manifest or chunk for this long is dropped and the device told. */
  readonly timeoutMs: number;
  readonly maxImageBytes: number;
  readonly maxAudioBytes: number;
}

export interface MediaChunkDependencies {
  readonly store: () => Store;
  readonly media: () => { add(intake: MediaIntake): Promise<MediaSummary> };
  readonly settings: MediaTransferSettings;
  /** Publishes a JSON reply on the device's replies topic. */
  readonly reply: (deviceId: string, payload: string) => void;
  readonly logger: Logger;
  readonly now: () => number;
}

export type MediaMessageOutcome = 'progress' | 'staged' | 'stored' | 'duplicate' | 'rejected';

/** Refusals of reassembled files, so a resent manifest for the same bytes gets the same answer. */
const MAX_REMEMBERED_REFUSALS = 1024;
const MAX_SWEEP_MS = 5000;

/**
 * Chunked media from devices. A manifest opens (or resumes) a transfer; each chunk is committed to
 * the staging tables before the broker sends its PUBACK, so a restart loses nothing acknowledged and
 * resumes from the staged chunks. The completed file goes to the media service; refusals and
 * stalled transfers are answered on the device's replies topic.
 */
export class MediaChunkReceiver {
  private reassembler: MediaReassembler | undefined;
  private sweeper: NodeJS.Timeout | undefined;
  private readonly refusals = new Map<string, MediaError>();

  constructor(private readonly deps: MediaChunkDependencies) {}

  start(): void {
    this.reassembler = this.resume();
    const every = Math.max(50, Math.min(MAX_SWEEP_MS, this.deps.settings.timeoutMs / 2));
    this.sweeper = setInterval(() => this.expire(), every).unref();
  }

  close(): void {
    clearInterval(this.sweeper);
    this.sweeper = undefined;
  }

  /** Resolves once the message is durably handled (the PUBACK may go); rejects when it could not be stored. */
  async receive(deviceId: string, mediaId: string, payload: Buffer): Promise<MediaMessageOutcome> {
    const topic = deviceTopic(deviceId, `media/${mediaId}`);
    try {
      return isChunk(payload) ? await this.chunk(deviceId, mediaId, topic, payload) : this.manifest(deviceId, mediaId, topic, payload);
    } catch (error) {
      if (!isMediaError(error)) throw error;
      this.send(deviceId, rejected(error, mediaId, topic, this.deps.now()));
      return 'rejected';
    }
  }

  private manifest(deviceId: string, mediaId: string, topic: string, payload: Buffer): MediaMessageOutcome {
    const manifest = parseManifestMessage(payload, mediaId);
    assertAcceptedType(manifest.kind, manifest.contentType);
    const store = this.deps.store();
    const stored = store.media.fromDevice(origin(deviceId), mediaId);
    if (stored) {
      if (stored.receivedSha256 !== manifest.sha256) throw mediaIdTaken();
      this.send(deviceId, storedReply(stored, mediaId, topic, this.deps.now()));
      return 'stored';
    }
    const caseId = store.mediaTransfers.caseOf(deviceId, mediaId) ?? store.cases.activeCaseId();
    if (!caseId) throw new MediaError('MEDIA_NO_ACTIVE_CASE', 'No case is active on the appliance, so the media has no case to belong to');
    const begun = this.transfers().begin(deviceId, manifest);
    if (begun.status === 'already-complete') {
      const refusal = this.refusals.get(keyOf(deviceId, mediaId));
      if (refusal) throw refusal;
      // Every chunk is in; the file is being processed and a media.stored reply follows.
      this.send(deviceId, progressReply({ mediaId, chunkCount: manifest.chunkCount, receivedChunks: manifest.chunkCount, missing: [] }, topic, this.deps.now()));
      return 'progress';
    }
    store.mediaTransfers.begin({ deviceId, mediaId, caseId, manifest, now: this.deps.now() });
    this.send(deviceId, progressReply(begun.progress, topic, this.deps.now()));
    return 'progress';
  }

  private async chunk(deviceId: string, mediaId: string, topic: string, payload: Buffer): Promise<MediaMessageOutcome> {
    const index = payload.length >= MEDIA_CHUNK_HEADER_BYTES ? payload.readUInt32LE(4) : -1;
    const data = payload.subarray(MEDIA_CHUNK_HEADER_BYTES);
    const store = this.deps.store();
    let outcome;
    try {
      outcome = this.transfers().accept(deviceId, mediaId, { index, data });
    } catch (error) {
      if (isMediaError(error) && error.code === 'MEDIA_TRANSFER_UNKNOWN' && store.media.fromDevice(origin(deviceId), mediaId)) return 'duplicate';
      if (isMediaError(error) && (error.code === 'MEDIA_REASSEMBLY_TIMEOUT' || error.code === 'MEDIA_CHECKSUM_MISMATCH')) {
        this.forget(deviceId, mediaId);
      }
      throw error;
    }
    if (outcome.status === 'already-complete') return 'duplicate';
    if (outcome.status === 'complete') return this.complete(outcome.media, topic);
    store.mediaTransfers.chunk(deviceId, mediaId, index, data);
    return 'staged';
  }

  /** The last chunk is not staged: until the file is stored it stays unacknowledged, so the device resends it. */
  private async complete({ deviceId, manifest, data }: ReassembledMedia, topic: string): Promise<MediaMessageOutcome> {
    const { mediaId } = manifest;
    const store = this.deps.store();
    const caseId = store.mediaTransfers.caseOf(deviceId, mediaId) ?? store.cases.activeCaseId();
    try {
      if (!caseId) throw new MediaError('MEDIA_NO_ACTIVE_CASE', 'No case is active on the appliance, so the media has no case to belong to');
      const stored = await this.deps.media().add({
        caseId,
        data,
        declaredContentType: manifest.contentType,
        actor: origin(deviceId),
        deviceMediaId: mediaId,
        alsoCommit: () => store.mediaTransfers.drop(deviceId, mediaId),
      });
      store.media.purge();
      this.send(deviceId, storedReply(stored, mediaId, topic, this.deps.now()));
      return 'stored';
    } catch (error) {
      if (!isMediaError(error)) {
        // Not stored (disk full, ...): the staged chunks remain, so resume from them and let the resend complete it.
        this.reassembler = this.resume();
        throw error;
      }
      this.forget(deviceId, mediaId);
      this.remember(keyOf(deviceId, mediaId), error);
      throw error;
    }
  }

  /** Rebuilds the in-memory transfers from the staging tables (at start, and after a failed store). */
  private resume(): MediaReassembler {
    const { timeoutMs, maxImageBytes, maxAudioBytes } = this.deps.settings;
    const reassembler = new MediaReassembler({ ...DEFAULT_REASSEMBLY_LIMITS, timeoutMs, maxBytes: { image: maxImageBytes, audio: maxAudioBytes }, now: this.deps.now });
    for (const staged of this.deps.store().mediaTransfers.all()) {
      try {
        reassembler.begin(staged.deviceId, staged.manifest);
        for (const chunk of staged.chunks) reassembler.accept(staged.deviceId, staged.mediaId, chunk);
      } catch (error) {
        if (!isMediaError(error)) throw error;
        // The limits were lowered since: the device gets MEDIA_TRANSFER_UNKNOWN and starts again.
        this.forget(staged.deviceId, staged.mediaId);
        this.deps.logger.warn({ device: staged.deviceId, mediaId: staged.mediaId, code: error.code }, 'staged media transfer dropped on resume');
      }
    }
    return reassembler;
  }

  private expire(): void {
    try {
      for (const stalled of this.transfers().expire(this.deps.now())) {
        const { deviceId, mediaId, receivedChunks, chunkCount } = stalled;
        this.forget(deviceId, mediaId);
        const error = new MediaError('MEDIA_REASSEMBLY_TIMEOUT', `The transfer stalled with ${receivedChunks} of ${chunkCount} chunks received; its chunks were deleted`);
        this.send(deviceId, rejected(error, mediaId, deviceTopic(deviceId, `media/${mediaId}`), this.deps.now()));
      }
    } catch (error) {
      this.deps.logger.error({ err: error }, 'media transfer sweep failed');
    }
  }

  /**
   * Deletes a transfer's staged chunks (the file as the device sent it, metadata included) and folds
   * the WAL back, so that their bytes are overwritten as a deleted photo's are.
   */
  private forget(deviceId: string, mediaId: string): void {
    const store = this.deps.store();
    store.mediaTransfers.drop(deviceId, mediaId);
    store.media.purge();
  }

  private transfers(): MediaReassembler {
    if (!this.reassembler) throw new Error('media chunk receiver used before start');
    return this.reassembler;
  }

  private remember(key: string, error: MediaError): void {
    this.refusals.delete(key);
    this.refusals.set(key, error);
    if (this.refusals.size > MAX_REMEMBERED_REFUSALS) this.refusals.delete(this.refusals.keys().next().value!);
  }

  private send(deviceId: string, reply: Record<string, unknown>): void {
    this.deps.reply(deviceId, JSON.stringify(reply));
  }
}

function isChunk(payload: Buffer): boolean {
  return payload.length >= 4 && payload.toString('latin1', 0, 4) === MEDIA_CHUNK_MAGIC;
}

/** Every bad field at once: the framing ours, the rest the reassembler's schema. */
function parseManifestMessage(payload: Buffer, topicMediaId: string): MediaManifest {
  let value: unknown;
  try {
    value = JSON.parse(payload.toString('utf8'));
  } catch {
    throw new MediaError('MEDIA_MANIFEST_INVALID', 'The media message is neither a JSON manifest nor an HMC1 chunk', {
      issues: [{ field: '(payload)', problem: `must be a JSON manifest or start with ${MEDIA_CHUNK_MAGIC}` }],
    });
  }
  const fields = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const issues = [];
  if (fields.type !== 'manifest') issues.push({ field: 'type', problem: "must be 'manifest'" });
  if (fields.mediaId !== topicMediaId) issues.push({ field: 'mediaId', problem: 'must equal the mediaId in the topic' });
  const parsed = mediaManifestSchema.safeParse(value);
  if (!parsed.success) issues.push(...parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(root)', problem: i.message })));
  if (issues.length > 0 || !parsed.success) throw new MediaError('MEDIA_MANIFEST_INVALID', 'The transfer manifest is invalid', { issues });
  return parsed.data;
}

function mediaIdTaken(): MediaError {
  return new MediaError('MEDIA_MANIFEST_INVALID', 'This mediaId already names another file from this device', {
    issues: [{ field: 'mediaId', problem: 'already used for a different file; use a new mediaId' }],
  });
}

function origin(deviceId: string): string {
  return `device:${deviceId}`;
}

function keyOf(deviceId: string, mediaId: string): string {
  return JSON.stringify([deviceId, mediaId]);
}

function progressReply(p: Pick<TransferProgress, 'mediaId' | 'chunkCount' | 'receivedChunks' | 'missing'>, topic: string, now: number): Record<string, unknown> {
  return { type: 'media.progress', mediaId: p.mediaId, chunkCount: p.chunkCount, receivedChunks: p.receivedChunks, missing: p.missing, topic, at: iso(now) };
}

function storedReply(stored: Pick<MediaSummary, 'id' | 'kind' | 'contentType' | 'bytes' | 'sha256'>, mediaId: string, topic: string, now: number): Record<string, unknown> {
  const { id, kind, contentType, bytes, sha256 } = stored;
  return { type: 'media.stored', mediaId, id, kind, contentType, bytes, sha256, topic, at: iso(now) };
}

/** The ingest rejection shape; the message holds counts and limits only, never content. */
function rejected(error: MediaError, mediaId: string, topic: string, now: number): Record<string, unknown> {
  const issues = error.issues.slice(0, 20).map(({ field, problem }) => ({ field, problem, code: error.code }));
  return { type: 'rejected', code: error.code, reason: error.message, fix: error.fix, issues, seq: null, mediaId, topic, at: iso(now) };
}

function iso(now: number): string {
  return new Date(now).toISOString();
}

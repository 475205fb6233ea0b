import { randomUUID } from 'node:crypto';
import type { AuditLog } from '../audit/index.js';
import { Hema3nError } from '../errors.js';
import type { Store, StoredMedia } from '../store/index.js';
import type { AudioProcessor } from './audio-thread.js';
import { sha256Hex } from './digest.js';
import { imageTensorFromStored } from './features.js';
import { processImage } from './image-process.js';
import type { ImageTensor, ImageTensorSpec } from './image-tensor.js';
import type { LogMel, MelSpec } from './mel.js';
import { mediaKindOf, type MediaKind } from './upload-kind.js';

/** The configured limits (config `media.*`), applied to every way in. */
export interface MediaLimits {
  readonly maxImageBytes: number;
  readonly maxAudioBytes: number;
  readonly maxAudioSeconds: number;
  readonly maxPixels: number;
}

/** A file to check, normalise and store for a case. */
export interface MediaIntake {
  readonly caseId: string;
  readonly data: Buffer;
  /** What the sender called it; absent or application/octet-stream lets the magic bytes decide. */
  readonly declaredContentType?: string | undefined;
  /** Who adds it (crew:<id>, device:<id>, cli:<user>): the audit actor and the stored origin. */
  readonly actor: string;
  /** The device's id for a chunked transfer. */
  readonly deviceMediaId?: string | undefined;
  /** Runs inside the transaction that stores the file, e.g. to drop a transfer's staged chunks. */
  readonly alsoCommit?: (() => void) | undefined;
}

/** What the crew and the CLI see of a stored file: the store's record, its length in seconds, not who sent it. */
export type MediaSummary = Omit<StoredMedia, 'durationMs' | 'origin'> & { readonly durationSeconds: number | null };

export interface MediaContent {
  readonly contentType: string;
  readonly data: Buffer;
}

/** Model inputs re-derived from the stored file (the tensors themselves are never stored). */
export type MediaFeatures =
  | { readonly kind: 'image'; readonly tensor: ImageTensor }
  | { readonly kind: 'audio'; readonly logMel: LogMel; readonly samples: Float32Array; readonly durationSeconds: number };

export interface FeatureOptions {
  /** Audit actor, e.g. system:inference. */
  readonly actor: string;
  readonly tensorSpec?: ImageTensorSpec | undefined;
  readonly melSpec?: MelSpec | undefined;
}

export interface MediaServiceDependencies {
  readonly store: () => Store;
  readonly audit: () => AuditLog;
  readonly limits: MediaLimits;
  readonly audio: AudioProcessor;
  readonly now: () => number;
  /** Told when a delete could not fold the WAL back at once (another connection was reading). */
  readonly onPurgeDeferred?: (mediaId: string) => void;
}

interface Normalised {
  kind: MediaKind;
  contentType: string;
  data: Buffer;
  sha256: string;
  thumbnail: Buffer | null;
  width: number | null;
  height: number | null;
  durationMs: number | null;
}

const STORED_TYPE: Readonly<Record<MediaKind, string>> = { image: 'image/jpeg', audio: 'audio/wav' };

/**
 * Photos and recordings of a case, whichever way they arrive (tablet upload, device transfer, CLI):
 * checked and normalised in memory (no temporary files), stored in the encrypted database, every
 * read and change audited in the transaction that does it.
 */
export class MediaService {
  constructor(private readonly deps: MediaServiceDependencies) {}

  /** For transports that stream: they stop reading at these sizes. */
  get limits(): MediaLimits {
    return this.deps.limits;
  }

  async add(intake: MediaIntake): Promise<MediaSummary> {
    const store = this.deps.store();
    store.cases.summary(intake.caseId); // NOT_FOUND before any CPU is spent
    const normalised = await this.normalise(intake.data, intake.declaredContentType);
    const id = randomUUID();
    const stored = store.transaction(() => {
      const row = store.media.insert({
        id,
        caseId: intake.caseId,
        ...normalised,
        bytes: normalised.data.length,
        origin: intake.actor,
        receivedSha256: sha256Hex(intake.data),
        deviceMediaId: intake.deviceMediaId ?? null,
        createdAt: this.deps.now(),
      });
      this.deps.audit().append({ actor: intake.actor, action: 'media.create', resource: `media/${id}`, reason: `case/${intake.caseId}` });
      intake.alsoCommit?.();
      return row;
    });
    return summaryOf(stored);
  }

  list(caseId: string, actor: string): MediaSummary[] {
    const store = this.deps.store();
    return store.transaction(() => {
      store.cases.summary(caseId);
      this.deps.audit().append({ actor, action: 'media.list', resource: `case/${caseId}/media` });
      return store.media.forCase(caseId).map(summaryOf);
    });
  }

  /** The stored file: the normalised JPEG or the 16 kHz mono WAV. */
  read(id: string, actor: string): MediaContent {
    const store = this.deps.store();
    return store.transaction(() => {
      const media = this.existing(id);
      this.deps.audit().append({ actor, action: 'media.read', resource: `media/${id}` });
      return { contentType: media.contentType, data: store.media.data(id)! };
    });
  }

  thumbnail(id: string, actor: string): MediaContent {
    const store = this.deps.store();
    return store.transaction(() => {
      this.existing(id);
      const thumbnail = store.media.thumbnail(id);
      if (!thumbnail) throw new Hema3nError('NOT_FOUND', `Media ${id} has no thumbnail (recordings have none)`);
      this.deps.audit().append({ actor, action: 'media.read', resource: `media/${id}`, reason: 'thumbnail' });
      return { contentType: 'image/jpeg', data: thumbnail };
    });
  }

  /**
   * Deletes the file and its thumbnail so that no copy remains readable: secure_delete zeroes the
   * freed pages, and the checkpoint that follows the commit removes the WAL's older page images.
   */
  delete(id: string, actor: string): void {
    const store = this.deps.store();
    store.transaction(() => {
      if (!store.media.remove(id, this.deps.now())) throw new Hema3nError('NOT_FOUND', `No media ${id}`);
      this.deps.audit().append({ actor, action: 'media.delete', resource: `media/${id}` });
    });
    if (!store.media.purge().complete) this.deps.onPurgeDeferred?.(id);
  }

  /**
   * For inference: the image tensor or the audio log-mel of a stored file, re-derived from the
   * stored normalised copy with the model's specs (tensors are not stored). Audited as a read.
   */
  async features(id: string, options: FeatureOptions): Promise<MediaFeatures> {
    const store = this.deps.store();
    const { kind, data } = store.transaction(() => {
      const media = this.existing(id);
      this.deps.audit().append({ actor: options.actor, action: 'media.read', resource: `media/${id}`, reason: 'features' });
      return { kind: media.kind, data: store.media.data(id)! };
    });
    if (kind === 'image') return { kind, tensor: await imageTensorFromStored(data, options.tensorSpec) };
    // Our own stored file: it passed the limits on the way in.
    const audio = await this.deps.audio(data, { maxBytes: Number.MAX_SAFE_INTEGER, maxSeconds: Number.MAX_SAFE_INTEGER, melSpec: options.melSpec });
    return { kind, logMel: audio.logMel, samples: audio.samples, durationSeconds: audio.durationSeconds };
  }

  private existing(id: string): StoredMedia {
    const media = this.deps.store().media.get(id);
    if (!media) throw new Hema3nError('NOT_FOUND', `No media ${id}`);
    return media;
  }

  private async normalise(data: Buffer, declaredContentType: string | undefined): Promise<Normalised> {
    const { limits } = this.deps;
    const kind = mediaKindOf(data, declaredContentType);
    if (kind === 'image') {
      const declared = declaredContentType?.trim().toLowerCase().startsWith('image/') ? declaredContentType : undefined;
      const image = await processImage(data, { maxBytes: limits.maxImageBytes, maxPixels: limits.maxPixels, declaredContentType: declared });
      return { kind, contentType: STORED_TYPE.image, data: image.jpeg, sha256: image.sha256, thumbnail: image.thumbnail.jpeg, width: image.width, height: image.height, durationMs: null };
    }
    const audio = await this.deps.audio(data, { maxBytes: limits.maxAudioBytes, maxSeconds: limits.maxAudioSeconds });
    const durationMs = Math.round(audio.durationSeconds * 1000);
    return { kind, contentType: STORED_TYPE.audio, data: audio.wav16k, sha256: audio.sha256, thumbnail: null, width: null, height: null, durationMs };
  }
}

function summaryOf(media: StoredMedia): MediaSummary {
  const { id, caseId, kind, contentType, bytes, sha256, width, height, durationMs, createdAt } = media;
  return { id, caseId, kind, contentType, bytes, sha256, width, height, durationSeconds: durationMs === null ? null : durationMs / 1000, createdAt };
}

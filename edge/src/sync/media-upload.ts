import { frameMediaChunk } from '@hema3n/cloud-sync/media-chunk';
import type { Logger } from '../observability/index.js';
import type { MediaUpload, PendingMedia, Store } from '../store/index.js';
import { CloudRejection } from './cloud-client.js';
import { chunkRange, descriptorProblems, planChunks, sharedDescriptor, type SharedDescriptor } from './media-plan.js';

/** Sends one media-chunk envelope and returns the sequence its verified receipt names. */
export type SendChunk = (payload: Uint8Array, contentType: string) => Promise<number>;

/** idle: nothing to send; skipped: a file was set aside (refused, or deleted meanwhile); sent: chunks went. */
export type MediaRound = { readonly status: 'idle' | 'skipped' } | { readonly status: 'sent'; readonly chunks: number; readonly fileCompleted: boolean };

/**
 * The bytes of photos and recordings, as media-chunk envelopes, after the bundle with their Media
 * has a receipt. Each chunk's verified receipt is recorded before the next chunk goes, so an upload
 * cut by the link, a restart or a kill -9 resumes at its first unreceipted chunk, and a file whose
 * last chunk was receipted is never sent again.
 */
export class MediaUploader {
  /** The file being sent, kept between rounds so a large file is not read from the database per round. */
  private file: { readonly id: string; readonly data: Buffer } | undefined;

  constructor(
    private readonly deps: {
      readonly store: Store;
      readonly applianceId: string;
      readonly chunkBytes: number;
      /** A round ends once this much went, so the pass can look at the cases again (vitals before media). */
      readonly roundBytes: number;
      readonly logger: Logger;
      readonly now: () => number;
    },
  ) {}

  /** Chunks of the next pending file, from its first unreceipted one, until roundBytes went or the file is whole. */
  async sendRound(send: SendChunk): Promise<MediaRound> {
    const media = this.deps.store.sync.nextPendingMedia();
    if (!media) return { status: 'idle' };
    const upload = this.uploadOf(media);
    const data = upload && this.bytesOf(media.id);
    if (!upload || !data) return { status: 'skipped' };
    let chunks = 0;
    let sentBytes = 0;
    let fileCompleted = false;
    for (let index = 0; index < upload.chunkCount && sentBytes < this.deps.roundBytes; index++) {
      if (upload.receipted.has(index)) continue;
      const { start, end } = chunkRange(upload, media.bytes, index);
      const descriptor = { ...(upload.descriptor as SharedDescriptor), index };
      let receiptSequence: number;
      try {
        receiptSequence = await send(frameMediaChunk(descriptor, data.subarray(start, end)), media.contentType);
      } catch (error) {
        if (!(error instanceof CloudRejection)) throw error;
        this.setAside(media, error.code);
        return { status: 'skipped' };
      }
      fileCompleted = this.deps.store.sync.recordMediaChunk({ mediaId: media.id, index, bytes: end - start, receiptSequence, now: this.deps.now() });
      chunks += 1;
      sentBytes += end - start;
    }
    if (fileCompleted) {
      this.file = undefined;
      this.deps.logger.info({ media: media.id, case: media.caseId, chunks: upload.chunkCount }, 'media file at the cloud');
    }
    return { status: 'sent', chunks, fileCompleted };
  }

  /** Lets go of the file held between rounds (at the end of a pass). */
  release(): void {
    this.file = undefined;
  }

  /** The plan made when the first chunk went, or a new one; undefined when the file cannot go. */
  private uploadOf(media: PendingMedia): MediaUpload | undefined {
    const { store, applianceId, chunkBytes, now } = this.deps;
    const existing = store.sync.mediaUpload(media.id);
    if (existing) return existing;
    const plan = planChunks(media.bytes, chunkBytes);
    const descriptor = sharedDescriptor(media, applianceId, plan);
    if (!store.sync.beginMediaUpload({ mediaId: media.id, descriptor, ...plan, now: now() })) return undefined;
    const problems = descriptorProblems(descriptor);
    if (problems.length > 0) {
      this.deps.logger.error({ media: media.id, case: media.caseId, fields: problems }, 'media file cannot be framed for the cloud; set aside');
      store.sync.rejectMedia(media.id, 'MEDIA_CHUNK_INVALID');
      return undefined;
    }
    return store.sync.mediaUpload(media.id);
  }

  private bytesOf(mediaId: string): Buffer | undefined {
    if (this.file?.id !== mediaId) {
      const data = this.deps.store.media.data(mediaId);
      this.file = data ? { id: mediaId, data } : undefined;
    }
    return this.file?.data;
  }

  private setAside(media: PendingMedia, code: string): void {
    this.deps.store.sync.rejectMedia(media.id, code);
    this.file = undefined;
    this.deps.logger.error({ media: media.id, case: media.caseId, code }, 'cloud refused a media file; set aside, the others continue');
  }
}

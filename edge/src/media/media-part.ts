import type { AuditLog } from '../audit/index.js';
import { Hema3nError } from '../errors.js';
import type { Logger } from '../observability/index.js';
import type { Store } from '../store/index.js';
import { AudioThread } from './audio-thread.js';
import { heifDecodingAvailable } from './image-format.js';
import { MediaService, type MediaLimits } from './media-service.js';

export interface MediaPartOptions {
  readonly limits: MediaLimits;
  readonly store: () => Store;
  readonly audit: () => AuditLog;
  readonly logger: Logger;
  readonly now: () => number;
}

/** A CLI command holding a read snapshot keeps the checkpoint from finishing; it is short-lived. */
const PURGE_RETRY_MS = 5000;

/** The media service as a lifecycle part: it owns the audio worker thread. */
export class MediaPart {
  readonly name = 'media';
  private audioThread: AudioThread | undefined;
  private current: MediaService | undefined;

  constructor(private readonly options: MediaPartOptions) {}

  get ready(): boolean {
    return this.current !== undefined;
  }

  get service(): MediaService {
    if (!this.current) throw new Hema3nError('NOT_READY', 'The media part is not started');
    return this.current;
  }

  async start(): Promise<void> {
    const { limits, store, audit, logger, now } = this.options;
    this.audioThread = new AudioThread();
    this.current = new MediaService({
      store,
      audit,
      limits,
      now,
      audio: this.audioThread.process,
      onPurgeDeferred: (mediaId) => {
        logger.warn({ mediaId }, 'media deleted; WAL checkpoint deferred by a concurrent reader, retrying');
        setTimeout(() => this.current && store().media.purge(), PURGE_RETRY_MS).unref();
      },
    });
  }

  describe(): Record<string, unknown> {
    return { heifDecoding: heifDecodingAvailable() };
  }

  async close(): Promise<void> {
    this.current = undefined;
    await this.audioThread?.close();
    this.audioThread = undefined;
  }
}

import type { Worker } from 'node:worker_threads';
import { Hema3nError, type ErrorCode } from '../errors.js';
import { startTypeScriptWorker } from '../lifecycle/index.js';
import { processAudio, type ProcessAudioOptions, type ProcessedAudio } from './audio-process.js';
import type { AudioJob, AudioJobFailure, AudioJobResult } from './audio-thread-worker.js';
import { MEDIA_ERROR_CODES, MediaError, type MediaErrorCode } from './errors.js';

/** processAudio behind a promise: on a worker thread in the daemon, in the caller's thread in the CLI. */
export type AudioProcessor = (input: Buffer, options: ProcessAudioOptions) => Promise<ProcessedAudio>;

/** For one-shot callers (the CLI, benchmarks): no thread to start or stop. */
export const processAudioHere: AudioProcessor = async (input, options) => processAudio(input, options);

const WORKER_MODULE = new URL('./audio-thread-worker.ts', import.meta.url);

interface Pending {
  resolve: (audio: ProcessedAudio) => void;
  reject: (error: Error) => void;
}

/**
 * processAudio is synchronous and CPU-bound (about half a second per minute of 48 kHz audio):
 * run on the main thread it would hold back every PUBACK and HTTP answer for that long. One worker
 * thread, started on first use, takes the jobs in turn.
 */
export class AudioThread {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  readonly process: AudioProcessor = (input, options) =>
    new Promise<ProcessedAudio>((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject });
      const worker = this.running();
      worker.ref();
      worker.postMessage({ id, input, options } satisfies AudioJob);
    });

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.failAll(new Hema3nError('NOT_READY', 'The media part is stopping'));
    await worker?.terminate();
  }

  private running(): Worker {
    if (this.worker) return this.worker;
    const worker = startTypeScriptWorker(WORKER_MODULE);
    worker.on('message', (message: AudioJobResult) => this.settle(message));
    worker.on('error', (cause) => this.lost(worker, cause));
    worker.on('exit', (code) => this.lost(worker, new Error(`audio worker exited with ${code}`)));
    this.worker = worker;
    return worker;
  }

  private settle(message: AudioJobResult): void {
    const job = this.pending.get(message.id);
    if (!job) return;
    this.pending.delete(message.id);
    if (this.pending.size === 0) this.worker?.unref();
    if ('result' in message) job.resolve({ ...message.result, wav16k: asBuffer(message.result.wav16k) });
    else job.reject(rebuild(message.failure));
  }

  /** A crashed worker fails its jobs; the next job starts a fresh one. */
  private lost(worker: Worker, cause: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.failAll(new Hema3nError('INTERNAL', 'Audio processing failed', { cause }));
  }

  private failAll(error: Error): void {
    for (const job of this.pending.values()) job.reject(error);
    this.pending.clear();
  }
}

/** Structured clone turns a Buffer into a plain Uint8Array. */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function rebuild(failure: AudioJobFailure): Hema3nError {
  const options = { issues: failure.issues };
  if ((MEDIA_ERROR_CODES as readonly string[]).includes(failure.code)) return new MediaError(failure.code as MediaErrorCode, failure.message, options);
  return new Hema3nError(failure.code as ErrorCode, failure.message, options);
}

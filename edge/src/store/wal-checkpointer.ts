import type { Worker } from 'node:worker_threads';
import { startTypeScriptWorker } from '../lifecycle/index.js';
import type { SqliteDatabase } from './database.js';

export interface CheckpointerSettings {
  readonly path: string;
  /** A copy, zeroed by the thread once its connection is keyed; null for the benchmark's unencrypted baseline. */
  readonly key: Uint8Array | null;
  readonly intervalMs: number;
}

const THREAD_MODULE = new URL('./wal-checkpointer-thread.ts', import.meta.url);
/** How often the thread folds the WAL in; the WAL stays at about what the writer commits in that time. */
export const CHECKPOINT_INTERVAL_MS = 200;
/** The writer still checkpoints when the WAL reaches this many pages (64 MiB): only if the thread falls behind or dies. */
const WRITER_SAFETY_NET_PAGES = 16_384;
const SQLITE_DEFAULT_AUTOCHECKPOINT_PAGES = 1000;

/**
 * Folds the WAL back into the database file on a thread of its own. On SQLCipher a checkpoint
 * decrypts every page it copies from the WAL and encrypts it again for the main file: done by
 * the writer, as SQLite's autocheckpoint does, that work doubled the crypto on the ingest thread
 * and stalled every acknowledgement waiting behind it (docs/BENCHMARKS.md, store).
 */
export class WalCheckpointer {
  private readonly worker: Worker;
  private readonly exited: Promise<unknown>;

  /**
   * onFailure hears of a thread that died: the writer then checkpoints as SQLite does by default,
   * slower but bounded, so it is worth a warning, not a stop.
   */
  constructor(
    writer: SqliteDatabase,
    settings: { readonly key: Buffer | null; readonly intervalMs?: number; readonly onFailure: (error: Error) => void },
  ) {
    const { key, intervalMs = CHECKPOINT_INTERVAL_MS, onFailure } = settings;
    writer.pragma(`wal_autocheckpoint = ${WRITER_SAFETY_NET_PAGES}`);
    const path = writer.name;
    this.worker = startTypeScriptWorker(THREAD_MODULE, { path, key: key && new Uint8Array(key), intervalMs } satisfies CheckpointerSettings);
    this.worker.on('error', (error) => {
      if (writer.open) writer.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT_PAGES}`);
      onFailure(error);
    });
    this.exited = new Promise((resolve) => this.worker.once('exit', resolve));
    // A checkpointer alone must not keep the process alive.
    this.worker.unref();
  }

  /** Waits for the thread's connection to close, so the writer's final checkpoint can truncate the WAL. */
  async close(): Promise<void> {
    // Held until it has gone: the process must not end with the thread's connection still open.
    this.worker.ref();
    this.worker.postMessage('close');
    await this.exited;
  }
}

import { parentPort, workerData } from 'node:worker_threads';
import { openCheckpointConnection } from './database.js';
import type { CheckpointerSettings } from './wal-checkpointer.js';

/**
 * The checkpointer's thread: its own connection to the database, folding the WAL into the main
 * file every intervalMs. PASSIVE never waits for the writer or readers; what it cannot fold now,
 * it folds next time.
 */
const { path, key, intervalMs } = (workerData as { settings: CheckpointerSettings }).settings;
const db = openCheckpointConnection(path, key && Buffer.from(key));
key?.fill(0);
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // SQLITE_BUSY while the writer rekeys or checkpoints itself: the next tick tries again.
  }
}, intervalMs);

parentPort!.on('message', (message: unknown) => {
  if (message !== 'close') return;
  clearInterval(timer);
  db.close();
  parentPort!.close();
});

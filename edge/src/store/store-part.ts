import { mkdirSync } from 'node:fs';
import { Hema3nError } from '../errors.js';
import { resolveDbKey, type DbKeySettings, type KeyProviderName } from '../keys/index.js';
import type { Logger } from '../observability/index.js';
import { databaseExists, databasePath, Store } from './store.js';
import { WalCheckpointer } from './wal-checkpointer.js';

export interface StorePartOptions {
  readonly stateDir: string;
  readonly mode: 'development' | 'production';
  readonly keySettings: DbKeySettings;
  readonly groupCommit: { maxRows: number; maxDelayMs: number };
  /** The daemon folds the WAL on a thread of its own; a one-shot CLI command leaves it to SQLite. */
  readonly checkpointInBackground: boolean;
  readonly logger: Logger;
}

/**
 * Resolves the key and opens the store at start (in the daemon with its WAL folded in on a thread
 * of its own); closes it (checkpointing the WAL) at stop.
 */
export class StorePart {
  readonly name = 'store';
  private opened: Store | undefined;
  private checkpointer: WalCheckpointer | undefined;
  private provider: KeyProviderName | undefined;

  constructor(private readonly options: StorePartOptions) {}

  get ready(): boolean {
    return this.opened !== undefined;
  }

  get store(): Store {
    if (!this.opened) throw new Hema3nError('NOT_READY', 'The store is not open');
    return this.opened;
  }

  async start(): Promise<void> {
    const { stateDir, mode, keySettings, groupCommit, logger } = this.options;
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    const key = await resolveDbKey({
      settings: keySettings,
      mode,
      stateDir,
      databaseExists: databaseExists(stateDir),
      warn: (message) => logger.warn(message),
    });
    this.provider = key.provider;
    this.opened = Store.open({ path: databasePath(stateDir), key: key.bytes, groupCommit });
    if (!this.options.checkpointInBackground) return;
    this.checkpointer = new WalCheckpointer(this.opened.db, {
      key: key.bytes,
      onFailure: (error) => logger.warn({ err: error }, 'background WAL checkpoints stopped; the writer checkpoints from now on'),
    });
  }

  describe(): Record<string, unknown> {
    return { keyProvider: this.provider ?? null };
  }

  async close(): Promise<void> {
    await this.checkpointer?.close();
    this.checkpointer = undefined;
    this.opened?.close();
    this.opened = undefined;
  }
}

import { userInfo } from 'node:os';
import { AuditLog } from '../audit/index.js';
import { loadConfig, type FrozenConfig } from '../config/index.js';
import { createLogger, type Logger } from '../observability/index.js';
import { StorePart, type Store } from '../store/index.js';

export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

export interface CliContext {
  readonly io: CliIo;
  readonly json: boolean;
  readonly config: () => FrozenConfig;
  readonly logger: () => Logger;
  /** Opens the store (and audit log), runs fn, and closes it whatever happens. */
  withStore<T>(fn: (store: Store, audit: AuditLog) => Promise<T> | T): Promise<T>;
  /** Who the audit log names for a CLI action. */
  readonly actor: string;
  readonly now: () => number;
}

export function createCliContext(io: CliIo, json: boolean): CliContext {
  let config: FrozenConfig | undefined;
  let logger: Logger | undefined;
  const getConfig = (): FrozenConfig => (config ??= loadConfig({ env: io.env, cwd: io.cwd }));
  const getLogger = (): Logger => (logger ??= createLogger({ level: getConfig().logLevel === 'info' ? 'warn' : getConfig().logLevel }));
  return {
    io,
    json,
    config: getConfig,
    logger: getLogger,
    actor: `cli:${safeUser()}`,
    now: Date.now,
    async withStore(fn) {
      const cfg = getConfig();
      const part = new StorePart({
        stateDir: cfg.stateDir,
        mode: cfg.mode,
        keySettings: cfg.db,
        groupCommit: { maxRows: cfg.db.groupCommitMaxRows, maxDelayMs: cfg.db.groupCommitMaxDelayMs },
        checkpointInBackground: false,
        logger: getLogger(),
      });
      await part.start();
      try {
        return await fn(part.store, new AuditLog(part.store.db, Date.now));
      } finally {
        await part.close();
      }
    },
  };
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return String(process.getuid?.() ?? 'unknown');
  }
}

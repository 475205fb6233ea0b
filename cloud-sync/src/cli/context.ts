import { loadCloudConfig, type FrozenCloudConfig } from '../config.js';
import { openRegistry, type ApplianceRegistry } from '../registry/index.js';

export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

export interface CliContext {
  readonly io: CliIo;
  readonly json: boolean;
  readonly config: () => FrozenCloudConfig;
  /** Opens the registry, runs fn, closes it whatever happens. Safe while the service runs (WAL). */
  withRegistry<T>(fn: (registry: ApplianceRegistry) => T): T;
  readonly now: () => number;
}

export function createCliContext(io: CliIo, json: boolean): CliContext {
  let config: FrozenCloudConfig | undefined;
  const getConfig = (): FrozenCloudConfig => (config ??= loadCloudConfig({ env: io.env, cwd: io.cwd }));
  return {
    io,
    json,
    config: getConfig,
    now: Date.now,
    withRegistry(fn) {
      const opened = openRegistry(getConfig().stateDir);
      try {
        return fn(opened.registry);
      } finally {
        opened.close();
      }
    },
  };
}

/**
 * The daemon's process owner: config, logger, signals, systemd notify and exit codes.
 * Nothing below this file calls process.exit or installs signal handlers.
 */
import { Appliance } from './appliance.js';
import { loadConfig, type FrozenConfig } from './config/index.js';
import { toHema3nError } from './errors.js';
import { SystemdNotifier } from './lifecycle/index.js';
import { createLogger, createMetricsRegistry } from './observability/index.js';

export const EXIT_OK = 0;

export interface DaemonHandle {
  readonly appliance: Appliance;
  readonly config: FrozenConfig;
  /** Drains every part in reverse start order; resolves with the exit code. */
  stop(): Promise<number>;
}

/** Starts the appliance. Throws a Hema3nError (with its exit code) when it cannot start. */
export async function startDaemon(env: Readonly<Record<string, string | undefined>>, cwd: string): Promise<DaemonHandle> {
  const config = loadConfig({ env, cwd });
  const logger = createLogger({ level: config.logLevel });
  const notifier = new SystemdNotifier(env, (err) => logger.warn({ err }, 'systemd notify failed'));
  const appliance = new Appliance({ config, logger, metrics: createMetricsRegistry(), now: Date.now });
  const aborter = new AbortController();
  try {
    await appliance.start(aborter.signal);
  } catch (error) {
    logger.fatal({ err: error }, 'appliance failed to start');
    await appliance.stop();
    logger.flush();
    throw toHema3nError(error);
  }
  const { http, mqtt } = appliance.ports();
  logger.info({ http, mqtt, stateDir: config.stateDir }, 'appliance ready');
  notifier.ready(`serving http=${http} mqtt=${mqtt}`);
  let stopping: Promise<number> | undefined;
  const stop = (): Promise<number> =>
    (stopping ??= (async () => {
      notifier.stopping();
      logger.info('stopping');
      await appliance.stop();
      logger.info('stopped');
      logger.flush();
      return EXIT_OK;
    })());
  return { appliance, config, stop };
}

/** `hema3n start`: runs until SIGTERM/SIGINT, then drains and exits with the documented code. */
export async function runDaemon(env: Readonly<Record<string, string | undefined>>, cwd: string): Promise<never> {
  let handle: DaemonHandle;
  try {
    handle = await startDaemon(env, cwd);
  } catch (error) {
    const failure = toHema3nError(error);
    process.stderr.write(`hema3n: ${failure.code}: ${failure.message}\n  fix: ${failure.fix}\n`);
    process.exit(failure.exitCode);
  }
  const onSignal = (signal: NodeJS.Signals): void => {
    void handle.stop().then((code) => process.exit(code), (error: unknown) => exitAfterFailedStop(error, signal));
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  return new Promise<never>(() => {});
}

function exitAfterFailedStop(error: unknown, signal: string): never {
  process.stderr.write(`hema3n: failed to stop cleanly after ${signal}: ${toHema3nError(error).code}\n`);
  process.exit(70);
}


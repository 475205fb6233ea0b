/**
 * The ceiling for bench/ingest: the daemon itself (the same broker, device authentication, topic
 * ACLs, payload validation, sequence admission, rule scoring and live stream), built from the same
 * environment as `hema3n start`, with one change: device samples are acknowledged without being
 * written. What the durable figure loses against this is the price of the database on the hot path.
 * Logs "appliance ready" with its MQTT port as the daemon does; runs until SIGTERM.
 */
import { Appliance } from '../../edge/src/appliance.js';
import { loadConfig } from '../../edge/src/config/index.js';
import { createLogger, createMetricsRegistry } from '../../edge/src/observability/index.js';
import type { VitalSignWrite } from '../../edge/src/store/index.js';

const config = loadConfig({ env: process.env, cwd: process.cwd() });
const logger = createLogger({ level: config.logLevel });
const appliance = new Appliance({ config, logger, metrics: createMetricsRegistry(), now: Date.now });
await appliance.start();
const notWritten = { submit: async (rows: readonly VitalSignWrite[]): Promise<boolean[]> => rows.map(() => true) };
Object.defineProperty(appliance.store.store, 'vitalWrites', { value: notWritten });
logger.info({ mqtt: appliance.ports().mqtt }, 'appliance ready');
process.once('SIGTERM', () => void appliance.stop().then(() => process.exit(0)));

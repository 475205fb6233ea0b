export { createLogger, REDACTED_KEYS, type Logger } from './logger.js';
export { CloudMetrics, Counter, Gauge } from './metrics.js';

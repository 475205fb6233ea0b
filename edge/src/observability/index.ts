export { createLogger, REDACTED_KEYS, type Logger } from './logger.js';
export { createMetricsRegistry, Counter, Gauge, Histogram, Registry } from './metrics.js';

import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** One registry per appliance (never prom-client's global), so tests can run several side by side. */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'hema3n_' });
  return registry;
}

export { Counter, Gauge, Histogram, Registry };

import { Counter, Histogram, type Registry } from '../observability/index.js';

export interface IngestMetrics {
  readonly messages: Counter<'channel' | 'outcome'>;
  readonly rejections: Counter<'code'>;
  readonly refusedClients: Counter<'reason'>;
  readonly commitSeconds: Histogram<'channel'>;
}

export function createIngestMetrics(registry: Registry): IngestMetrics {
  return {
    messages: new Counter({
      name: 'hema3n_ingest_messages_total',
      help: 'Device messages by channel and outcome (stored, duplicate, rejected)',
      labelNames: ['channel', 'outcome'],
      registers: [registry],
    }),
    rejections: new Counter({
      name: 'hema3n_ingest_rejections_total',
      help: 'Refused device messages by error code',
      labelNames: ['code'],
      registers: [registry],
    }),
    refusedClients: new Counter({
      name: 'hema3n_mqtt_refused_total',
      help: 'Refused CONNECTs, publishes and subscriptions',
      labelNames: ['reason'],
      registers: [registry],
    }),
    commitSeconds: new Histogram({
      name: 'hema3n_ingest_receive_to_commit_seconds',
      help: 'From receiving a publish to its commit (the PUBACK follows immediately)',
      labelNames: ['channel'],
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5],
      registers: [registry],
    }),
  };
}

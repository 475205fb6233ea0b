/**
 * A few counters and gauges in the Prometheus text format (version 0.0.4). prom-client is not a
 * dependency of cloud-sync, and what the service counts fits in this much code.
 */
type Labels = Readonly<Record<string, string>>;

abstract class Metric {
  protected readonly samples = new Map<string, { labels: Labels; value: number }>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'counter' | 'gauge',
  ) {}

  protected add(labels: Labels, delta: number): void {
    const key = JSON.stringify(Object.entries(labels).sort());
    const sample = this.samples.get(key) ?? { labels, value: 0 };
    sample.value += delta;
    this.samples.set(key, sample);
  }

  value(labels: Labels = {}): number {
    return this.samples.get(JSON.stringify(Object.entries(labels).sort()))?.value ?? 0;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} ${this.type}`];
    for (const { labels, value } of this.samples.values()) lines.push(`${this.name}${formatLabels(labels)} ${value}`);
    return lines.join('\n');
  }
}

export class Counter extends Metric {
  constructor(name: string, help: string) {
    super(name, help, 'counter');
  }

  inc(labels: Labels = {}, by = 1): void {
    this.add(labels, by);
  }
}

export class Gauge extends Metric {
  constructor(name: string, help: string) {
    super(name, help, 'gauge');
  }

  set(value: number, labels: Labels = {}): void {
    this.add(labels, value - this.value(labels));
  }
}

function formatLabels(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `{${entries.map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`).join(',')}}`;
}

/** What the service counts; one instance per service, so tests can run several side by side. */
export class CloudMetrics {
  readonly envelopesAccepted = new Counter('hema3n_cloud_envelopes_accepted_total', 'Envelopes accepted, by payload kind');
  readonly envelopesRejected = new Counter('hema3n_cloud_envelopes_rejected_total', 'Envelopes refused, by error code');
  readonly receipts = new Counter('hema3n_cloud_receipts_total', 'Signed receipts sent, by outcome');
  readonly replays = new Counter('hema3n_cloud_replays_total', 'Envelopes answered with a stored receipt');
  readonly dispatchSubscribers = new Gauge('hema3n_cloud_dispatch_subscribers', 'Open dispatch board event streams');

  readonly contentType = 'text/plain; version=0.0.4; charset=utf-8';

  render(): string {
    const all = [this.envelopesAccepted, this.envelopesRejected, this.receipts, this.replays, this.dispatchSubscribers];
    return `${all.map((metric) => metric.render()).join('\n')}\n`;
  }
}

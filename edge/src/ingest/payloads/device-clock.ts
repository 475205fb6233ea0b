/**
 * Estimates one device's clock offset from its recent samples and corrects observation times.
 *
 * receivedAt - deviceTs is clock offset plus transport latency. A skewed clock shows as an
 * offset that stays the same sample after sample; latency wobbles, and a backlog sent after a
 * reconnect shows offsets that shrink by the sampling interval. So the estimate is the median
 * of recent offsets, and it is trusted only when most of them agree with it: a backlog is
 * stored at the device's own times instead of being shifted to "now".
 *
 * Recorded samples are spaced at least `recordEveryMs` apart in receive time so that a fast
 * sender (or a burst) cannot fill the window in a moment. One instance per device.
 */
export interface DeviceClockOptions {
  /** Offsets above this (absolute) are corrected once established. */
  readonly thresholdMs: number;
  /** Observations later than receive time + this are never stored as they are. */
  readonly maxFutureMs: number;
  /** Observations earlier than receive time − this are never stored as they are. */
  readonly maxPastMs: number;
  readonly windowSize: number;
  readonly minSamples: number;
  /** How close to the median an offset must be to count as agreeing with it. */
  readonly agreementMs: number;
  readonly recordEveryMs: number;
  /** Older recorded offsets are forgotten (a device may be re-synchronised between cases). */
  readonly maxAgeMs: number;
}

export const DEFAULT_DEVICE_CLOCK_OPTIONS: DeviceClockOptions = {
  thresholdMs: 2_000,
  maxFutureMs: 5_000,
  maxPastMs: 24 * 60 * 60 * 1000,
  windowSize: 15,
  minSamples: 3,
  agreementMs: 1_000,
  recordEveryMs: 500,
  maxAgeMs: 30 * 60 * 1000,
};

export interface ClockReading {
  /** When the sample was taken, on the appliance's clock (epoch ms). */
  readonly observedAt: number;
  /** The correction applied (observedAt − deviceTs); 0 when none. */
  readonly skewMs: number;
  readonly corrected: boolean;
}

interface Recorded {
  readonly offset: number;
  readonly receivedAt: number;
}

export class DeviceClock {
  private readonly options: DeviceClockOptions;
  private recorded: Recorded[] = [];

  constructor(options: Partial<DeviceClockOptions> = {}) {
    this.options = { ...DEFAULT_DEVICE_CLOCK_OPTIONS, ...options };
  }

  observe(deviceTs: number, receivedAt: number): ClockReading {
    this.record(receivedAt - deviceTs, receivedAt);
    const estimate = this.estimateMs();
    const skewMs = estimate !== null && Math.abs(estimate) > this.options.thresholdMs ? estimate : 0;
    const observedAt = deviceTs + skewMs;
    if (this.withinBounds(observedAt, receivedAt)) return { observedAt, skewMs, corrected: skewMs !== 0 };
    // Nothing established explains this sample: the arrival time is the best we know.
    return { observedAt: receivedAt, skewMs: receivedAt - deviceTs, corrected: true };
  }

  /** The established offset (receive − device) in ms, or null while the evidence disagrees. */
  estimateMs(): number | null {
    const { minSamples, agreementMs } = this.options;
    if (this.recorded.length < minSamples) return null;
    const median = medianOf(this.recorded.map((r) => r.offset));
    const agreeing = this.recorded.filter((r) => Math.abs(r.offset - median) <= agreementMs).length;
    return agreeing >= Math.ceil((this.recorded.length * 2) / 3) ? median : null;
  }

  private record(offset: number, receivedAt: number): void {
    const { windowSize, recordEveryMs, maxAgeMs } = this.options;
    this.recorded = this.recorded.filter((r) => r.receivedAt >= receivedAt - maxAgeMs && r.receivedAt <= receivedAt);
    const last = this.recorded.at(-1);
    if (last !== undefined && receivedAt - last.receivedAt < recordEveryMs) return;
    this.recorded.push({ offset, receivedAt });
    if (this.recorded.length > windowSize) this.recorded.shift();
  }

  private withinBounds(observedAt: number, receivedAt: number): boolean {
    return observedAt <= receivedAt + this.options.maxFutureMs && observedAt >= receivedAt - this.options.maxPastMs;
  }
}

function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] as number;
  return sorted.length % 2 === 1 ? upper : Math.round(((sorted[mid - 1] as number) + upper) / 2);
}

import { describe, expect, it } from 'vitest';
import { DeviceClock, type ClockReading } from '../../src/ingest/payloads/index.js';

const T0 = Date.UTC(2025, 2, 1, 12, 0, 0);

/**
 * Feeds a device that measures once per `intervalMs` with a clock `offsetMs` behind the
 * appliance (negative: ahead) and a transport latency cycling through `latenciesMs`.
 */
function feed(clock: DeviceClock, count: number, options: { offsetMs: number; intervalMs?: number; startAt?: number; latenciesMs?: number[] }) {
  const { offsetMs, intervalMs = 1000, startAt = T0, latenciesMs = [40, 90, 60, 120, 50] } = options;
  return Array.from({ length: count }, (_, i) => {
    const measuredAt = startAt + i * intervalMs;
    const receivedAt = measuredAt + (latenciesMs[i % latenciesMs.length] as number);
    const reading: ClockReading = clock.observe(measuredAt - offsetMs, receivedAt);
    return { measuredAt, receivedAt, reading };
  });
}

describe('DeviceClock', () => {
  it('leaves a synchronised device alone: observedAt is the device time', () => {
    const samples = feed(new DeviceClock(), 60, { offsetMs: 0 });
    for (const { measuredAt, reading } of samples) expect(reading).toEqual({ observedAt: measuredAt, skewMs: 0, corrected: false });
  });

  it('leaves an offset under the threshold alone', () => {
    const samples = feed(new DeviceClock(), 30, { offsetMs: 1500 });
    expect(samples.every((s) => !s.reading.corrected)).toBe(true);
  });

  it('corrects a device running a minute behind once three samples agree, to within the latency', () => {
    const samples = feed(new DeviceClock(), 30, { offsetMs: 60_000 });
    expect(samples.slice(0, 2).every((s) => !s.reading.corrected)).toBe(true);
    for (const { measuredAt, reading } of samples.slice(2)) {
      expect(reading.corrected).toBe(true);
      expect(Math.abs(reading.observedAt - measuredAt)).toBeLessThanOrEqual(120);
      expect(reading.skewMs).toBeGreaterThan(59_900);
    }
  });

  it('stores a device running 30 s ahead at arrival time at once, then at its corrected time', () => {
    const samples = feed(new DeviceClock(), 20, { offsetMs: -30_000 });
    const first = samples[0]!;
    expect(first.reading).toEqual({ observedAt: first.receivedAt, skewMs: -30_000 + 40, corrected: true });
    for (const { measuredAt, reading } of samples) {
      expect(reading.observedAt).toBeLessThanOrEqual(measuredAt + 120);
      expect(reading.observedAt).toBeGreaterThanOrEqual(measuredAt);
    }
  });

  it('keeps correcting a skewed device through a latency spike', () => {
    const clock = new DeviceClock();
    feed(clock, 10, { offsetMs: 60_000 });
    const measuredAt = T0 + 10_000;
    const reading = clock.observe(measuredAt - 60_000, measuredAt + 5_000);
    expect(Math.abs(reading.observedAt - measuredAt)).toBeLessThanOrEqual(120);
  });

  it('stores a backlog delivered in a burst after a reconnect at the device times, not at "now"', () => {
    const clock = new DeviceClock();
    const backlogStart = T0 - 10 * 60_000;
    const reconnectAt = T0;
    for (let i = 0; i < 600; i += 1) {
      const deviceTs = backlogStart + i * 1000;
      expect(clock.observe(deviceTs, reconnectAt + i * 3)).toMatchObject({ observedAt: deviceTs, corrected: false });
    }
    for (const { measuredAt, reading } of feed(clock, 20, { offsetMs: 0, startAt: reconnectAt + 2000 })) {
      expect(reading.observedAt).toBe(measuredAt);
    }
  });

  it('does not mistake a backlog drained slowly over 20 s for skew', () => {
    const clock = new DeviceClock();
    for (let i = 0; i < 600; i += 1) {
      const deviceTs = T0 - 10 * 60_000 + i * 1000;
      expect(clock.observe(deviceTs, T0 + Math.round(i * 33.3)).corrected).toBe(false);
    }
  });

  it('judges a 10 Hz sender on samples spread over time, not on its first three', () => {
    const samples = feed(new DeviceClock(), 50, { offsetMs: 60_000, intervalMs: 100 });
    expect(samples.slice(0, 10).every((s) => !s.reading.corrected)).toBe(true);
    expect(samples.slice(-10).every((s) => s.reading.corrected)).toBe(true);
  });

  it('follows a device whose clock is set right mid-case after at most five samples', () => {
    const clock = new DeviceClock();
    feed(clock, 30, { offsetMs: -60_000 });
    const after = feed(clock, 20, { offsetMs: 0, startAt: T0 + 30_000 });
    expect(after.slice(5).every(({ measuredAt, reading }) => reading.observedAt === measuredAt)).toBe(true);
  });

  it('forgets old evidence after a long silence', () => {
    const clock = new DeviceClock();
    feed(clock, 10, { offsetMs: 60_000 });
    expect(clock.estimateMs()).toBeGreaterThan(59_000);
    clock.observe(T0 + 3_600_000, T0 + 3_600_050);
    expect(clock.estimateMs()).toBeNull();
  });

  it('honours a configured threshold and future bound', () => {
    const strict = new DeviceClock({ thresholdMs: 500, maxFutureMs: 0 });
    const samples = feed(strict, 10, { offsetMs: 1500, latenciesMs: [20] });
    expect(samples.at(-1)!.reading).toMatchObject({ skewMs: 1520, corrected: true });
    expect(strict.observe(T0 + 1000, T0 + 999)).toMatchObject({ observedAt: T0 + 999 + 0, corrected: true });
  });
});

import { describe, expect, it } from 'vitest';
import { LatestVitals, SMOOTHING_WINDOW_MS } from '../../src/monitor/latest-vitals.js';

/** The definition: the median of the signal's readings in the minute up to its newest one. */
function naiveMedian(readings: Array<{ value: number; at: number }>): number {
  const newest = Math.max(...readings.map((r) => r.at));
  const values = readings.filter((r) => r.at >= newest - SMOOTHING_WINDOW_MS).map((r) => r.value).sort((a, b) => a - b);
  const mid = values.length >> 1;
  return values.length % 2 ? values[mid]! : (values[mid - 1]! + values[mid]!) / 2;
}

/** A deterministic stream: 1 Hz with jitter, some readings late, repeated values, two devices. */
function* readings(count: number): Generator<{ value: number; at: number }> {
  let seed = 7;
  const next = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < count; i++) {
    const late = next() < 0.05 ? Math.floor(next() * 90_000) : 0;
    yield { value: 88 + Math.floor(next() * 12), at: 1_000_000 + i * 500 - late };
  }
}

describe('LatestVitals', () => {
  it('judges a continuous signal on the median of its last minute, reading for reading', () => {
    const latest = new LatestVitals();
    const seen: Array<{ value: number; at: number }> = [];
    for (const reading of readings(2_000)) {
      latest.record([{ code: 'SPO2', loinc: '59408-5', value: reading.value, unit: '%' }], reading.at);
      seen.push(reading);
      const newest = Math.max(...seen.map((r) => r.at));
      expect(latest.value('SPO2', newest)).toBe(naiveMedian(seen.slice(-180)));
    }
  });

  it('takes the latest reading of an intermittent signal, and nothing once it is stale', () => {
    const latest = new LatestVitals();
    latest.record([{ code: 'SBP', loinc: '8480-6', value: 140, unit: 'mm[Hg]' }], 0);
    latest.record([{ code: 'SBP', loinc: '8480-6', value: 90, unit: 'mm[Hg]' }], 60_000);
    expect(latest.value('SBP', 60_000)).toBe(90);
    expect(latest.value('SBP', 60_000 + 16 * 60_000)).toBeUndefined();
  });
});

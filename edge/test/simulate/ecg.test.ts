import { describe, expect, it } from 'vitest';
import { ECG_COUNTS_PER_MV, ECG_SAMPLE_RATE_HZ } from '../../src/simulate/index.js';
import { ecgSignal, mean, meanBetween, received, series } from './helpers.js';

const MS = ECG_SAMPLE_RATE_HZ / 1000;
const mv = (counts: number) => counts / ECG_COUNTS_PER_MV;

/** R peaks: local maxima above 0.6 mV, at least 250 ms apart (no heart beats faster than 240 /min here). */
function rPeaks(signal: Int16Array): number[] {
  const peaks: number[] = [];
  const threshold = 0.6 * ECG_COUNTS_PER_MV;
  for (let i = 1; i < signal.length - 1; i += 1) {
    const s = signal[i]!;
    if (s < threshold || s < signal[i - 1]! || s < signal[i + 1]!) continue;
    const last = peaks.at(-1);
    if (last !== undefined && i - last < 250 * MS) {
      if (s > signal[last]!) peaks[peaks.length - 1] = i;
      continue;
    }
    peaks.push(i);
  }
  return peaks;
}

/** Mean signal at `offsetMs` from each R peak, in mV: the averaged beat at that point. */
function atOffset(signal: Int16Array, peaks: readonly number[], offsetMs: number): number {
  const values = peaks.map((p) => signal[p + Math.round(offsetMs * MS)]).filter((v): v is number => v !== undefined);
  return mv(mean(values));
}

function rrIntervalsMs(peaks: readonly number[]): number[] {
  return peaks.slice(1).map((p, i) => (p - peaks[i]!) / MS);
}

function coefficientOfVariation(values: readonly number[]): number {
  const m = mean(values);
  return Math.sqrt(mean(values.map((v) => (v - m) ** 2))) / m;
}

// Minutes 10 to 11 of each scenario: past the opening, where the STEMI flag is up.
const FROM_SECOND = 600;

describe('synthetic ECG lead II', () => {
  it.each([['normal'], ['sepsis'], ['stemi'], ['stroke'], ['pediatric-respiratory-distress'], ['hypothermia']])(
    '%s: beats per minute on the trace match the monitor heart rate',
    (name) => {
      const r = received(name);
      const beats = rPeaks(ecgSignal(r, FROM_SECOND, 60)).length;
      const monitorHr = meanBetween(series(r, 'monitor', 'HR'), 10, 11);
      expect(Math.abs(beats - monitorHr) / monitorHr).toBeLessThan(0.08);
    },
  );

  it('normal: a regular rhythm with P wave, QRS, flat ST segment and upright T wave', () => {
    const signal = ecgSignal(received('normal'), FROM_SECOND, 60);
    const peaks = rPeaks(signal);
    const baseline = atOffset(signal, peaks, -80);
    expect(coefficientOfVariation(rrIntervalsMs(peaks))).toBeLessThan(0.05);
    expect(atOffset(signal, peaks, -160) - baseline).toBeGreaterThan(0.08);
    expect(atOffset(signal, peaks, 0) - baseline).toBeGreaterThan(0.9);
    expect(atOffset(signal, peaks, 30) - baseline).toBeLessThan(-0.1);
    expect(Math.abs(atOffset(signal, peaks, 100) - baseline)).toBeLessThan(0.05);
    expect(atOffset(signal, peaks, 260) - baseline).toBeGreaterThan(0.2);
  });

  it('stemi: the ST segment is raised more than 0.1 mV (1 mm) above the PR baseline', () => {
    const signal = ecgSignal(received('stemi'), FROM_SECOND, 60);
    const peaks = rPeaks(signal);
    expect(atOffset(signal, peaks, 100) - atOffset(signal, peaks, -80)).toBeGreaterThan(0.15);
  });

  it('stroke: atrial fibrillation shows as irregular RR intervals and no P wave', () => {
    const signal = ecgSignal(received('stroke'), FROM_SECOND, 60);
    const peaks = rPeaks(signal);
    expect(coefficientOfVariation(rrIntervalsMs(peaks))).toBeGreaterThan(0.1);
    expect(Math.abs(atOffset(signal, peaks, -160) - atOffset(signal, peaks, -80))).toBeLessThan(0.04);
  });

  it('is a repeating waveform, not noise: consecutive beats look alike', () => {
    const signal = ecgSignal(received('normal'), FROM_SECOND, 20);
    const peaks = rPeaks(signal);
    const beat = (p: number) => Array.from(signal.subarray(p - 50, p + 100));
    const [a, b] = [beat(peaks[3]!), beat(peaks[4]!)];
    const ma = mean(a);
    const mb = mean(b);
    const cov = mean(a.map((v, i) => (v - ma) * (b[i]! - mb)));
    const sd = (xs: number[], m: number) => Math.sqrt(mean(xs.map((v) => (v - m) ** 2)));
    expect(cov / (sd(a, ma) * sd(b, mb))).toBeGreaterThan(0.95);
  });
});

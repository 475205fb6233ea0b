import type { ScoreInput } from '../clinical/index.js';
import type { Measurement } from '../ingest/index.js';

/** How long a reading stands for "now": continuous monitoring goes stale fast, a cuff reading less so. */
const FRESH_MS: Readonly<Record<string, number>> = { SBP: 15 * 60_000, DBP: 15 * 60_000, MAP: 15 * 60_000, TEMP: 60 * 60_000, GLUCOSE: 60 * 60_000 };
const DEFAULT_FRESH_MS = 5 * 60_000;

/**
 * Continuous signals are judged on their one-minute median: a pulse oximeter jitters by a few
 * points from second to second, and alarms on that jitter are the alarm fatigue crews switch off.
 */
export const SMOOTHED_CODES: ReadonlySet<string> = new Set(['HR', 'RR', 'SPO2', 'ETCO2']);
export const SMOOTHING_WINDOW_MS = 60_000;
/** Readings kept per signal: a minute of 1 Hz data from two devices, with room to spare. */
const MAX_READINGS = 180;

interface Reading {
  readonly value: number;
  readonly at: number;
}

/**
 * The recent readings of each vital sign for one case, from whichever device measured it.
 * A stale reading is dropped rather than carried forward: missing is never normal.
 */
export class LatestVitals {
  private readonly readings = new Map<string, SignalWindow>();

  record(measurements: readonly Measurement[], at: number): void {
    for (const m of measurements) {
      let signal = this.readings.get(m.code);
      if (!signal) this.readings.set(m.code, (signal = new SignalWindow()));
      signal.add({ value: m.value, at });
    }
  }

  /** The value to judge now: the one-minute median for continuous signals, else the latest; undefined when stale. */
  value(code: string, now: number): number | undefined {
    const signal = this.readings.get(code);
    const latest = signal?.latest;
    if (!signal || !latest || now - latest.at > (FRESH_MS[code] ?? DEFAULT_FRESH_MS)) return undefined;
    return SMOOTHED_CODES.has(code) ? signal.median() : latest.value;
  }

  /** What the devices can tell the rules; consciousness and oxygen come from the crew. */
  toScoreInput(now: number, crew: Partial<ScoreInput>): ScoreInput {
    const input: Record<string, unknown> = { ...crew };
    const fields: Array<[keyof ScoreInput, string]> = [
      ['heartRate', 'HR'], ['respiratoryRate', 'RR'], ['spo2', 'SPO2'], ['systolicBP', 'SBP'], ['temperature', 'TEMP'], ['painScore', 'PAIN'],
    ];
    for (const [field, code] of fields) {
      const value = this.value(code, now);
      if (value !== undefined) input[field] = value;
    }
    return input as ScoreInput;
  }

  snapshot(now: number): Record<string, { value: number; at: number }> {
    const out: Record<string, { value: number; at: number }> = {};
    for (const [code, signal] of this.readings) {
      const value = this.value(code, now);
      if (value !== undefined) out[code] = { value, at: signal.latest!.at };
    }
    return out;
  }
}

/**
 * One signal's readings of the last minute, in time order, and the same values kept sorted: the
 * median is asked for on every score (many times a second on a busy case), so it is read off the
 * sorted copy instead of sorting the window each time.
 */
class SignalWindow {
  private readonly byTime: Reading[] = [];
  private readonly sorted: number[] = [];

  get latest(): Reading | undefined {
    return this.byTime[this.byTime.length - 1];
  }

  add(reading: Reading): void {
    insertInTimeOrder(this.byTime, reading);
    this.sorted.splice(lowerBound(this.sorted, reading.value), 0, reading.value);
    const newest = this.latest!.at;
    let stale = 0;
    while (stale < this.byTime.length - 1 && this.byTime[stale]!.at < newest - SMOOTHING_WINDOW_MS) stale++;
    for (const gone of this.byTime.splice(0, Math.max(stale, this.byTime.length - MAX_READINGS))) {
      this.sorted.splice(lowerBound(this.sorted, gone.value), 1);
    }
  }

  median(): number {
    const mid = this.sorted.length >> 1;
    return this.sorted.length % 2 ? this.sorted[mid]! : (this.sorted[mid - 1]! + this.sorted[mid]!) / 2;
  }
}

/** Readings nearly always arrive in order, so this is a push; a late one walks back a few places. */
function insertInTimeOrder(list: Reading[], reading: Reading): void {
  let i = list.length;
  while (i > 0 && list[i - 1]!.at > reading.at) i--;
  list.splice(i, 0, reading);
}

/** The first index whose value is not below `value`. */
function lowerBound(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (sorted[mid]! < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

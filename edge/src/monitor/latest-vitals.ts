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
  private readonly readings = new Map<string, Reading[]>();
  /** Medians are asked for on every score but change only when a reading of that signal arrives. */
  private readonly medians = new Map<string, number>();

  record(measurements: readonly Measurement[], at: number): void {
    for (const m of measurements) {
      const list = this.readings.get(m.code) ?? [];
      insertInTimeOrder(list, { value: m.value, at });
      const newest = list[list.length - 1]!.at;
      let stale = 0;
      while (stale < list.length - 1 && list[stale]!.at < newest - SMOOTHING_WINDOW_MS) stale++;
      list.splice(0, Math.max(stale, list.length - MAX_READINGS));
      this.readings.set(m.code, list);
      this.medians.delete(m.code);
    }
  }

  /** The value to judge now: the one-minute median for continuous signals, else the latest; undefined when stale. */
  value(code: string, now: number): number | undefined {
    const list = this.readings.get(code);
    const latest = list?.[list.length - 1];
    if (!list || !latest || now - latest.at > (FRESH_MS[code] ?? DEFAULT_FRESH_MS)) return undefined;
    if (!SMOOTHED_CODES.has(code)) return latest.value;
    let smoothed = this.medians.get(code);
    if (smoothed === undefined) {
      smoothed = median(list.filter((r) => r.at >= latest.at - SMOOTHING_WINDOW_MS).map((r) => r.value));
      this.medians.set(code, smoothed);
    }
    return smoothed;
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
    for (const [code, list] of this.readings) {
      const value = this.value(code, now);
      if (value !== undefined) out[code] = { value, at: list[list.length - 1]!.at };
    }
    return out;
  }
}

/** Readings nearly always arrive in order, so this is a push; a late one walks back a few places. */
function insertInTimeOrder(list: Reading[], reading: Reading): void {
  let i = list.length;
  while (i > 0 && list[i - 1]!.at > reading.at) i--;
  list.splice(i, 0, reading);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

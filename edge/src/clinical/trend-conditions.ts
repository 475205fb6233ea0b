/**
 * The deterioration conditions, judged per observation against the case's recent history.
 * A condition is judged only when the observation carries its parameter: a reading that is
 * absent neither raises nor clears anything.
 */
export const ALERT_KINDS = ['news2-rise', 'spo2-fall', 'sbp-below-90', 'rhythm-flag'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** "Within 15 minutes": a reading exactly 15:00 earlier still counts as a baseline. */
export const TREND_WINDOW_MS = 15 * 60_000;
const NEWS2_RISE = 2;
const SPO2_FALL = 4;
const SYSTOLIC_FLOOR = 90;

export interface TrendReading {
  at: number;
  news2Total?: number;
  spo2?: number;
  systolicBP?: number;
  /** Uppercased; null = the monitor reports no rhythm flag; absent = no rhythm information. */
  rhythmFlag?: string | null;
}

interface Timed {
  at: number;
  value: number;
}

/**
 * The extreme (lowest or highest) reading inside the trailing window, in O(1) amortised per
 * reading: a monotonic queue. Readings come in time order, so what leaves the window never
 * returns. Ties keep the earliest reading, which is what the alert's "in N min" reports.
 */
class WindowExtreme {
  private items: Timed[] = [];
  private head = 0;

  constructor(private readonly supersedes: (incoming: number, kept: number) => boolean) {}

  add(reading: Timed): void {
    while (this.items.length > this.head && this.supersedes(reading.value, this.items[this.items.length - 1]!.value)) this.items.pop();
    this.items.push(reading);
  }

  extreme(now: number): Timed | null {
    while (this.head < this.items.length && this.items[this.head]!.at < now - TREND_WINDOW_MS) this.head++;
    if (this.head > 1024) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return this.items[this.head] ?? null;
  }
}

export interface TrendHistory {
  news2: WindowExtreme;
  spo2: WindowExtreme;
  lastSystolicBP: number | null;
}

/** `key` identifies the condition for deduplication: one per kind, one per rhythm flag. */
export interface Verdict {
  key: string;
  kind: AlertKind;
  holds: boolean;
  detail: string;
}

export function emptyHistory(): TrendHistory {
  return { news2: new WindowExtreme((incoming, kept) => incoming < kept), spo2: new WindowExtreme((incoming, kept) => incoming > kept), lastSystolicBP: null };
}

export function judge(history: TrendHistory, reading: TrendReading, openKeys: ReadonlySet<string>): Verdict[] {
  return [
    ...news2Rise(history, reading),
    ...spo2Fall(history, reading),
    ...systolicBelowFloor(history, reading, openKeys.has('sbp-below-90')),
    ...rhythmFlags(reading, openKeys),
  ];
}

/** Keeps only what a later judgement can need: readings inside the window, the last SBP. */
export function remember(history: TrendHistory, reading: TrendReading): void {
  if (reading.news2Total !== undefined) history.news2.add({ at: reading.at, value: reading.news2Total });
  if (reading.spo2 !== undefined) history.spo2.add({ at: reading.at, value: reading.spo2 });
  if (reading.systolicBP !== undefined) history.lastSystolicBP = reading.systolicBP;
}

// Against the lowest score in the window, so a slow climb 3 → 4 → 5 is caught as well.
function news2Rise(history: TrendHistory, { at, news2Total }: TrendReading): Verdict[] {
  if (news2Total === undefined) return [];
  const baseline = history.news2.extreme(at);
  const holds = baseline !== null && news2Total - baseline.value >= NEWS2_RISE;
  const detail = baseline ? `NEWS2 rose from ${baseline.value} to ${news2Total} in ${minutes(at - baseline.at)}` : '';
  return [{ key: 'news2-rise', kind: 'news2-rise', holds, detail }];
}

function spo2Fall(history: TrendHistory, { at, spo2 }: TrendReading): Verdict[] {
  if (spo2 === undefined) return [];
  const peak = history.spo2.extreme(at);
  const holds = peak !== null && peak.value - spo2 >= SPO2_FALL;
  const detail = peak ? `SpO2 fell from ${peak.value} % to ${spo2} % in ${minutes(at - peak.at)}` : '';
  return [{ key: 'spo2-fall', kind: 'spo2-fall', holds, detail }];
}

// A crossing from >= 90 raises; staying below 90 keeps an open alert; a first reading below 90
// is not a crossing (the absolute value is NEWS2's and ESI's job).
function systolicBelowFloor(history: TrendHistory, { systolicBP }: TrendReading, open: boolean): Verdict[] {
  if (systolicBP === undefined) return [];
  const previous = history.lastSystolicBP;
  const crossed = previous !== null && previous >= SYSTOLIC_FLOOR;
  const holds = systolicBP < SYSTOLIC_FLOOR && (crossed || open);
  const detail = `Systolic BP fell from ${previous} to ${systolicBP} mmHg, below ${SYSTOLIC_FLOOR}`;
  return [{ key: 'sbp-below-90', kind: 'sbp-below-90', holds, detail }];
}

// The monitor reports one flag at a time: a new flag clears the previous one.
function rhythmFlags({ rhythmFlag }: TrendReading, openKeys: ReadonlySet<string>): Verdict[] {
  if (rhythmFlag === undefined) return [];
  const current = rhythmFlag === null ? null : `rhythm-flag:${rhythmFlag}`;
  const cleared: Verdict[] = [...openKeys]
    .filter((key) => key.startsWith('rhythm-flag:') && key !== current)
    .map((key) => ({ key, kind: 'rhythm-flag', holds: false, detail: '' }));
  if (current === null) return cleared;
  return [...cleared, { key: current, kind: 'rhythm-flag', holds: true, detail: `Monitor reports ${rhythmFlag}` }];
}

function minutes(ms: number): string {
  return ms < 60_000 ? 'under a minute' : `${Math.round(ms / 60_000)} min`;
}

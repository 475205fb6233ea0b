import type { IngestIssue } from '../errors.js';

/**
 * Bounds beyond which a device timestamp is not skew but nonsense (an unset RTC reads 1970 or
 * 2000; a corrupt one reads next year). Between these bounds DeviceClock corrects instead.
 */
export interface TimestampLimits {
  /** Epoch ms before which no device of ours can have measured anything. */
  readonly earliest: number;
  /** How far past the appliance's receive time a timestamp may be before it is absurd. */
  readonly maxAheadMs: number;
}

export const DEFAULT_TIMESTAMP_LIMITS: TimestampLimits = {
  earliest: Date.UTC(2020, 0, 1),
  maxAheadMs: 24 * 60 * 60 * 1000,
};

// Offset is required: a local time without one is ambiguous by hours.
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})$/;

/** Epoch ms from an ISO-8601 string (with offset) or a number of epoch ms; an issue otherwise. */
export function readDeviceTime(value: string | number, field: string): number | IngestIssue {
  if (typeof value === 'number') {
    return Number.isFinite(value) ? Math.round(value) : { field, problem: 'not a finite number of epoch milliseconds', code: 'TIMESTAMP_INVALID' };
  }
  const ms = parseIso8601(value);
  return ms ?? { field, problem: 'not an ISO-8601 date-time with offset (e.g. 2025-03-01T12:00:00.000Z)', code: 'TIMESTAMP_INVALID' };
}

/** An issue when the time is before `earliest` or absurdly far ahead of the receive time. */
export function checkPlausible(ms: number, receivedAt: number, field: string, limits: TimestampLimits): IngestIssue | undefined {
  if (ms < limits.earliest) {
    const looksLikeSeconds = ms > 0 && ms * 1000 >= limits.earliest && ms * 1000 <= receivedAt + limits.maxAheadMs;
    const problem = looksLikeSeconds
      ? 'looks like seconds since the epoch; send milliseconds'
      : `before ${new Date(limits.earliest).toISOString()}; the device clock is not set`;
    return { field, problem, code: 'TIMESTAMP_INVALID' };
  }
  if (ms > receivedAt + limits.maxAheadMs) {
    const hours = Math.round(limits.maxAheadMs / 3_600_000);
    return { field, problem: `more than ${hours} h ahead of the appliance clock; the device clock is wrong`, code: 'TIMESTAMP_INVALID' };
  }
  return undefined;
}

function parseIso8601(text: string): number | undefined {
  const m = ISO_8601.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [
    number, number, number, number, number, number,
  ];
  const millis = Number(((m[7] ?? '') + '000').slice(0, 3));
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  // Date.UTC rolls 31 February over into March; a real calendar date round-trips.
  if (day < 1 || new Date(utc).getUTCDate() !== day) return undefined;
  const offset = offsetMinutes(m[8] as string);
  return offset === undefined ? undefined : utc - offset * 60_000;
}

/** Minutes east of UTC; real zones lie within ±14:00. */
function offsetMinutes(zone: string): number | undefined {
  if (zone === 'Z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2));
  if (minutes > 59 || hours * 60 + minutes > 14 * 60) return undefined;
  return (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
}

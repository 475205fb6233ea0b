import type { IngestIssue } from '../errors.js';
import type { DeviceClock } from './device-clock.js';
import { DEFAULT_TIMESTAMP_LIMITS, checkPlausible, readDeviceTime, type TimestampLimits } from './timestamps.js';

export interface PayloadContext {
  /** The appliance's clock when the message arrived (epoch ms). */
  readonly receivedAt: number;
  /** The sending device's clock; without one, observedAt is the device's own time. */
  readonly clock?: DeviceClock;
  readonly timestampLimits?: TimestampLimits;
  readonly maxBytes?: number;
}

/** A device timestamp as epoch ms, recording an issue (and returning NaN) when it is unusable. */
export function readTimestamp(ts: string | number, context: PayloadContext, issues: IngestIssue[]): number {
  const ms = readDeviceTime(ts, 'ts');
  if (typeof ms !== 'number') {
    issues.push(ms);
    return Number.NaN;
  }
  const implausible = checkPlausible(ms, context.receivedAt, 'ts', context.timestampLimits ?? DEFAULT_TIMESTAMP_LIMITS);
  if (implausible) issues.push(implausible);
  return ms;
}

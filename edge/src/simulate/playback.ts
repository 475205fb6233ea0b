import type { SimEvent } from './devices.js';

export interface PlannedEvent {
  /** When to publish, in wall-clock ms from the start of playback. */
  readonly sendAfterMs: number;
  readonly event: SimEvent;
}

/**
 * Time compression: plays a scenario of `durationSeconds` in `playSeconds` of wall time.
 * Payload timestamps are not rewritten; build the scenario with startAt = now − duration so
 * the appliance receives a compressed scenario as recent past, never as future readings.
 */
export function playbackPlan(events: readonly SimEvent[], timing: { durationSeconds: number; playSeconds: number }): PlannedEvent[] {
  const factor = timing.playSeconds / timing.durationSeconds;
  return events.map((event) => ({ sendAfterMs: Math.round(event.atMs * factor), event }));
}

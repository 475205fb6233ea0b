import { EventEmitter } from 'node:events';

/** What the tablet's live stream of a case carries. */
export type LiveEvent =
  | { type: 'vitals'; caseId: string; deviceId: string; observedAt: number; rhythm: string | null; measurements: ReadonlyArray<{ code: string; value: number; unit: string }> }
  | { type: 'waveform'; caseId: string; deviceId: string; kind: string; startedAt: number; sampleRateHz: number; samples: number[]; gapBeforeMs: number | null }
  | { type: 'scores'; caseId: string; at: number; news2: { total: number; risk: string; partial: boolean }; acuity: { level: number; reasons: string[] } }
  | { type: 'alert'; caseId: string; alert: { id: string; kind: string; raisedAt: number; detail: string; acknowledgedBy: string | null; acknowledgedAt: number | null; clearedAt: number | null } }
  | { type: 'device'; deviceId: string; online: boolean; at: number };

/** Fan-out of live case events to the tablet's streams, one channel per case. */
export class LiveEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    // One listener per open tablet stream; a busy station aggregator may hold many.
    this.emitter.setMaxListeners(0);
  }

  publish(event: LiveEvent): void {
    this.emitter.emit('caseId' in event ? `case:${event.caseId}` : 'devices', event);
  }

  /** Returns the unsubscribe function. */
  subscribe(caseId: string, listener: (event: LiveEvent) => void): () => void {
    this.emitter.on(`case:${caseId}`, listener);
    this.emitter.on('devices', listener);
    return () => {
      this.emitter.off(`case:${caseId}`, listener);
      this.emitter.off('devices', listener);
    };
  }
}

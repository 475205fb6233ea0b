import { EventEmitter } from 'node:events';

/** What the tablet's live stream of a case carries. */
export type LiveEvent =
  | { type: 'vitals'; caseId: string; deviceId: string; observedAt: number; rhythm: string | null; measurements: ReadonlyArray<{ code: string; value: number; unit: string }> }
  | { type: 'waveform'; caseId: string; deviceId: string; kind: string; startedAt: number; sampleRateHz: number; samples: number[]; gapBeforeMs: number | null }
  | { type: 'scores'; caseId: string; at: number; news2: { total: number; risk: string; partial: boolean }; acuity: { level: number; reasons: string[] } }
  | {
      /** The model's view merged with the rule floor (the assessor): the acuity dispatch sees, and the model's top condition. */
      type: 'assessment';
      caseId: string;
      at: number;
      acuity: { level: number; ruleLevel: number; raisedByModel: boolean };
      topCondition: { label: string; probability: number } | null;
    }
  | { type: 'alert'; caseId: string; alert: { id: string; kind: string; raisedAt: number; detail: string; acknowledgedBy: string | null; acknowledgedAt: number | null; clearedAt: number | null } }
  | { type: 'device'; deviceId: string; online: boolean; at: number };

/** The events that belong to one case (all but device status). */
export type CaseLiveEvent = Extract<LiveEvent, { caseId: string }>;

/** Every case's events, for listeners that follow all cases (the automatic assessor). */
const ALL_CASES = 'all-cases';

/** Fan-out of live case events to the tablet's streams, one channel per case. */
export class LiveEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    // One listener per open tablet stream; a busy station aggregator may hold many.
    this.emitter.setMaxListeners(0);
  }

  publish(event: LiveEvent): void {
    if (!('caseId' in event)) {
      this.emitter.emit('devices', event);
      return;
    }
    this.emitter.emit(`case:${event.caseId}`, event);
    this.emitter.emit(ALL_CASES, event);
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

  /** Every case's events (not device status), as they are published. Returns the unsubscribe function. */
  subscribeAll(listener: (event: CaseLiveEvent) => void): () => void {
    this.emitter.on(ALL_CASES, listener);
    return () => this.emitter.off(ALL_CASES, listener);
  }
}

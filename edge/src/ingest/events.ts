import { EventEmitter } from 'node:events';
import type { Measurement, Rhythm, WaveformKind } from './payloads/index.js';

/** A vitals message after it committed: what the clinical engine and the tablet's live stream get. */
export interface VitalsAccepted {
  readonly deviceId: string;
  readonly caseId: string | null;
  readonly seq: number;
  readonly observedAt: number;
  readonly rhythm: Rhythm | null;
  readonly measurements: readonly Measurement[];
}

export interface WaveformAccepted {
  readonly deviceId: string;
  readonly caseId: string | null;
  readonly kind: WaveformKind;
  readonly seq: number;
  readonly startedAt: number;
  readonly sampleRateHz: number;
  readonly samples: Int16Array;
  readonly gapBeforeMs: number | null;
}

export interface DeviceStatusChanged {
  readonly deviceId: string;
  readonly online: boolean;
  readonly at: number;
}

interface IngestEventMap {
  vitals: [VitalsAccepted];
  waveform: [WaveformAccepted];
  status: [DeviceStatusChanged];
}

/**
 * Accepted device data, emitted only after it is committed and in order per device.
 * Listeners are registered with an owner key so a part that stops removes all of its own at once.
 */
export class IngestEvents {
  private readonly emitter = new EventEmitter();
  private readonly owned = new Map<string, Array<[keyof IngestEventMap, (...args: unknown[]) => void]>>();

  on<K extends keyof IngestEventMap>(owner: string, event: K, listener: (...args: IngestEventMap[K]) => void): void {
    const untyped = listener as unknown as (...args: unknown[]) => void;
    this.emitter.on(event, untyped);
    const list = this.owned.get(owner) ?? [];
    list.push([event, untyped]);
    this.owned.set(owner, list);
  }

  emit<K extends keyof IngestEventMap>(event: K, ...args: IngestEventMap[K]): void {
    this.emitter.emit(event, ...args);
  }

  removeOwner(owner: string): void {
    for (const [event, listener] of this.owned.get(owner) ?? []) this.emitter.off(event, listener);
    this.owned.delete(owner);
  }
}

import type { Store, VitalSignWrite } from '../store/index.js';
import type { IngestEvents, VitalsAccepted, WaveformAccepted } from './events.js';
import type { DeviceSession } from './device-sessions.js';
import {
  admitSeq,
  parseVitalsPayload,
  parseWaveformPayload,
  WaveformGapDetector,
  type WaveformKind,
} from './payloads/index.js';

export interface PipelineLimits {
  readonly maxPayloadBytes: number;
}

/**
 * Validates one device message and settles only after it is committed: the broker calls back
 * (and so sends the PUBACK) when this resolves. A message that fails validation throws an
 * IngestError and stores nothing.
 */
export class IngestPipeline {
  constructor(
    private readonly store: Store,
    private readonly events: IngestEvents,
    private readonly limits: PipelineLimits,
    private readonly now: () => number,
  ) {}

  async vitals(session: DeviceSession, payload: Buffer): Promise<'stored' | 'duplicate'> {
    const receivedAt = this.now();
    const message = parseVitalsPayload(payload, { receivedAt, clock: session.clock, maxBytes: this.limits.maxPayloadBytes });
    admitSeq(session.lastSeq, message.seq);
    const active = this.store.cases.activeCase();
    const rows: VitalSignWrite[] = message.measurements.map((m) => ({
      deviceRef: session.deviceRef,
      seq: message.seq,
      code: m.code,
      value: m.value,
      unit: m.unit,
      observedAt: message.observedAt,
      receivedAt,
      caseRef: active?.ref ?? null,
    }));
    const results = await this.store.vitalWrites.submit(rows);
    session.lastSeq = Math.max(session.lastSeq ?? message.seq, message.seq);
    if (!results.some(Boolean)) return 'duplicate';
    const accepted: VitalsAccepted = {
      deviceId: session.deviceId,
      caseId: active?.id ?? null,
      seq: message.seq,
      observedAt: message.observedAt,
      rhythm: message.rhythm ?? null,
      measurements: message.measurements,
    };
    this.afterAck(() => this.events.emit('vitals', accepted));
    return 'stored';
  }

  /**
   * Listeners (scoring, the live stream) run after the PUBACK has gone: they must not add to a
   * device's acknowledgement latency. setImmediate keeps the per-device order.
   */
  private afterAck(emit: () => void): void {
    setImmediate(emit);
  }

  async waveform(session: DeviceSession, kind: WaveformKind, payload: Buffer): Promise<'stored' | 'duplicate'> {
    const chunk = parseWaveformPayload(payload, { receivedAt: this.now(), clock: session.clock, maxBytes: this.limits.maxPayloadBytes });
    const detector = session.gaps.get(kind) ?? new WaveformGapDetector();
    session.gaps.set(kind, detector);
    const { gapBeforeMs } = detector.observe(chunk);
    const active = this.store.cases.activeCase();
    const [stored] = await this.store.waveformWrites.submit([
      {
        deviceRef: session.deviceRef,
        kind,
        seq: chunk.seq,
        startedAt: chunk.startedAt,
        sampleRateHz: chunk.sampleRateHz,
        sampleCount: chunk.sampleCount,
        samples: chunk.bytes,
        gapBeforeMs,
        caseRef: active?.ref ?? null,
      },
    ]);
    if (!stored) return 'duplicate';
    const accepted: WaveformAccepted = {
      deviceId: session.deviceId,
      caseId: active?.id ?? null,
      kind,
      seq: chunk.seq,
      startedAt: chunk.startedAt,
      sampleRateHz: chunk.sampleRateHz,
      samples: chunk.samples,
      gapBeforeMs,
    };
    this.afterAck(() => this.events.emit('waveform', accepted));
    return 'stored';
  }
}

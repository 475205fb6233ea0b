import {
  DeviceClock,
  parseVitalsPayload,
  parseWaveformPayload,
  type VitalsMessage,
  type WaveformChunk,
} from '../../src/ingest/payloads/index.js';
import { buildScenario, type BuildOptions, type Scenario, type SimEvent } from '../../src/simulate/index.js';

/** What the appliance makes of a scenario: every message through the real validators. */
export interface Received {
  readonly scenario: Scenario;
  readonly vitals: readonly (VitalsMessage & { readonly deviceKey: string })[];
  readonly ecg: readonly WaveformChunk[];
}

export function rawPayload(event: SimEvent): string | Buffer {
  return Buffer.isBuffer(event.payload) ? event.payload : JSON.stringify(event.payload);
}

/** Delivers each event at `receivedAt(event)` with one DeviceClock per device, as the broker wiring will. */
export function receive(scenario: Scenario, receivedAt: (event: SimEvent) => number = (e) => scenario.startAt + e.atMs): Received {
  const clocks = new Map<string, DeviceClock>();
  const vitals: (VitalsMessage & { deviceKey: string })[] = [];
  const ecg: WaveformChunk[] = [];
  for (const event of scenario.events) {
    const clock = clocks.get(event.deviceKey) ?? new DeviceClock();
    clocks.set(event.deviceKey, clock);
    const context = { receivedAt: receivedAt(event), clock };
    if (event.topicSuffix === 'vitals') vitals.push({ ...parseVitalsPayload(rawPayload(event), context), deviceKey: event.deviceKey });
    else ecg.push(parseWaveformPayload(rawPayload(event), context));
  }
  return { scenario, vitals, ecg };
}

const cache = new Map<string, Received>();

/** The full default (30 minute) scenario, built and received once per test file. */
export function received(name: string, options: BuildOptions = {}): Received {
  const key = `${name}:${JSON.stringify(options)}`;
  let result = cache.get(key);
  if (result === undefined) {
    result = receive(buildScenario(name, options));
    cache.set(key, result);
  }
  return result;
}

/** Values of one code from one device, in time order, with their minute from the start. */
export function series(r: Received, deviceKey: string, code: string): { minute: number; value: number }[] {
  return r.vitals
    .filter((v) => v.deviceKey === deviceKey)
    .flatMap((v) =>
      v.measurements.filter((m) => m.code === code).map((m) => ({ minute: (v.observedAt - r.scenario.startAt) / 60_000, value: m.value })),
    );
}

export function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** Mean of a series over [fromMinute, toMinute). */
export function meanBetween(points: readonly { minute: number; value: number }[], fromMinute: number, toMinute: number): number {
  return mean(points.filter((p) => p.minute >= fromMinute && p.minute < toMinute).map((p) => p.value));
}

/** Lead II samples from second `from` for `seconds`, concatenated. */
export function ecgSignal(r: Received, from: number, seconds: number): Int16Array {
  const chunks = r.ecg.filter((c) => c.seq >= from && c.seq < from + seconds).sort((a, b) => a.seq - b.seq);
  const out = new Int16Array(chunks.reduce((n, c) => n + c.sampleCount, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk.samples, offset);
    offset += chunk.sampleCount;
  }
  return out;
}

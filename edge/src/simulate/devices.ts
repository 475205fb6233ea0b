import { ECG_SAMPLE_RATE_HZ, type EcgSynthesizer } from './ecg.js';
import type { SimulatedPatient } from './physiology.js';
import { createRandom, type Random } from './random.js';
import { rhythmAt, type CourseVital } from './scenarios.js';
import { encodeHwf1, type DeviceMeasurement, type VitalsPayload, type WaveformJsonPayload } from './wire.js';

export type DeviceKind = 'monitor' | 'bp-cuff' | 'pulse-oximeter' | 'thermometer' | 'glucometer';
export type TopicSuffix = 'vitals' | 'waveform/ecg-ii';

export interface SimulatedDevice {
  /** Appended to the caller's prefix to make the device id, e.g. `amb7-monitor`. */
  readonly idSuffix: string;
  readonly kind: DeviceKind;
}

export interface SimEvent {
  /** When the device sends, in ms from the scenario start (payload times are when it measured). */
  readonly atMs: number;
  /** The sending device's idSuffix. */
  readonly deviceKey: string;
  readonly topicSuffix: TopicSuffix;
  readonly payload: VitalsPayload | WaveformJsonPayload | Buffer;
}

export interface EmitContext {
  readonly patient: SimulatedPatient;
  readonly ecg: EcgSynthesizer;
  readonly startAt: number;
  readonly seed: number;
  readonly waveformEncoding: 'binary' | 'json';
}

export const DEVICES: readonly SimulatedDevice[] = [
  { idSuffix: 'monitor', kind: 'monitor' },
  { idSuffix: 'nibp', kind: 'bp-cuff' },
  { idSuffix: 'spo2', kind: 'pulse-oximeter' },
  { idSuffix: 'thermo', kind: 'thermometer' },
  { idSuffix: 'glucose', kind: 'glucometer' },
];

const EMITTERS: Readonly<Record<DeviceKind, (device: SimulatedDevice, context: EmitContext) => SimEvent[]>> = {
  monitor: (device, context) => [...monitorVitals(device, context), ...monitorEcg(device, context)],
  'bp-cuff': bpCuff,
  'pulse-oximeter': pulseOximeter,
  thermometer,
  glucometer,
};

export function emit(device: SimulatedDevice, context: EmitContext): SimEvent[] {
  return EMITTERS[device.kind](device, context);
}

/** Numbers, rhythm and capnography every 5 s; ISO timestamps, as bedside monitors send. */
function monitorVitals(device: SimulatedDevice, context: EmitContext): SimEvent[] {
  const random = createRandom(context.seed, `device:${device.idSuffix}`);
  return everySeconds(2, 5, context, (t, seq) => {
    const p = context.patient;
    const payload: VitalsPayload = {
      seq,
      ts: new Date(context.startAt + t * 1000).toISOString(),
      rhythm: rhythmAt(p.definition, p.progress(t)),
      measurements: [
        reading(p, random, 'HR', t, 1, 0, '/min'),
        reading(p, random, 'RR', t, 0.6, 0, '/min'),
        reading(p, random, 'SPO2', t, 0.5, 0, '%'),
        reading(p, random, 'ETCO2', t, 0.8, 0, 'mm[Hg]'),
      ],
    };
    return sent(device, t, random, payload);
  });
}

/** ECG lead II in one-second chunks, stamped with the first sample and sent after the last. */
function monitorEcg(device: SimulatedDevice, context: EmitContext): SimEvent[] {
  const random = createRandom(context.seed, `device:${device.idSuffix}:ecg`);
  const events: SimEvent[] = [];
  for (let second = 0; second < context.patient.durationSeconds; second += 1) {
    const samples = context.ecg.chunk(second, ECG_SAMPLE_RATE_HZ);
    const ts = context.startAt + second * 1000;
    const payload =
      context.waveformEncoding === 'binary'
        ? encodeHwf1(second, ts, ECG_SAMPLE_RATE_HZ, samples)
        : { seq: second, ts, sampleRateHz: ECG_SAMPLE_RATE_HZ, samples: Array.from(samples) };
    events.push({ atMs: (second + 1) * 1000 + Math.round(random.between(10, 60)), deviceKey: device.idSuffix, topicSuffix: 'waveform/ecg-ii', payload });
  }
  return events;
}

/** A cycle every 3 to 5 minutes, stamped when the cuff deflates. */
function bpCuff(device: SimulatedDevice, context: EmitContext): SimEvent[] {
  const random = createRandom(context.seed, `device:${device.idSuffix}`);
  const events: SimEvent[] = [];
  for (let t = 45, seq = 0; t < context.patient.durationSeconds; t += Math.round(random.between(180, 300)), seq += 1) {
    const sbp = reading(context.patient, random, 'SBP', t, 2, 0, 'mmHg');
    const dbp = reading(context.patient, random, 'DBP', t, 2, 0, 'mmHg');
    const map: DeviceMeasurement = { code: 'MAP', value: Math.round(dbp.value + (sbp.value - dbp.value) / 3), unit: 'mmHg' };
    events.push(sent(device, t, random, { seq, ts: context.startAt + t * 1000, measurements: [sbp, dbp, map] }));
  }
  return events;
}

/** SpO2 once a second, epoch-millisecond timestamps. */
function pulseOximeter(device: SimulatedDevice, context: EmitContext): SimEvent[] {
  const random = createRandom(context.seed, `device:${device.idSuffix}`);
  return everySeconds(0.5, 1, context, (t, seq) =>
    sent(device, t, random, { seq, ts: context.startAt + t * 1000, measurements: [reading(context.patient, random, 'SPO2', t, 0.5, 0, '%')] }),
  );
}

/** Every 10 minutes, in the unit the device is set to, with a local-time offset in its timestamp. */
function thermometer(device: SimulatedDevice, context: EmitContext): SimEvent[] {
  const random = createRandom(context.seed, `device:${device.idSuffix}`);
  const fahrenheit = context.patient.definition.units.temperature === '[degF]';
  return everySeconds(90, 600, context, (t, seq) => {
    const celsius = reading(context.patient, random, 'TEMP', t, 0.05, 1, 'Cel');
    const measurement = fahrenheit ? { code: 'TEMP', value: round((celsius.value * 9) / 5 + 32, 1), unit: '[degF]' } : celsius;
    return sent(device, t, random, { seq, ts: isoWithOffset(context.startAt + t * 1000, 60), measurements: [measurement] });
  });
}

/** A fingerstick at 2.5 minutes and every 15 minutes after. */
function glucometer(device: SimulatedDevice, context: EmitContext): SimEvent[] {
  const random = createRandom(context.seed, `device:${device.idSuffix}`);
  const mmol = context.patient.definition.units.glucose === 'mmol/L';
  return everySeconds(150, 900, context, (t, seq) => {
    const mgdl = reading(context.patient, random, 'GLUCOSE', t, 2, 0, 'mg/dL');
    const measurement = mmol ? { code: 'GLUCOSE', value: round(mgdl.value / 18.016, 1), unit: 'mmol/L' } : mgdl;
    return sent(device, t, random, { seq, ts: context.startAt + t * 1000, measurements: [measurement] });
  });
}

function everySeconds(first: number, interval: number, context: EmitContext, make: (t: number, seq: number) => SimEvent): SimEvent[] {
  const events: SimEvent[] = [];
  for (let t = first, seq = 0; t < context.patient.durationSeconds; t += interval, seq += 1) events.push(make(t, seq));
  return events;
}

/** Transport takes a few tens of milliseconds. */
function sent(device: SimulatedDevice, t: number, random: Random, payload: VitalsPayload): SimEvent {
  return { atMs: Math.round(t * 1000 + random.between(20, 80)), deviceKey: device.idSuffix, topicSuffix: 'vitals', payload };
}

/** What a device reads: the true value plus its own measurement noise, at its display resolution. */
function reading(patient: SimulatedPatient, random: Random, vital: CourseVital, t: number, sd: number, decimals: number, unit: string): DeviceMeasurement {
  const value = patient.trueValue(vital, t) + random.gaussian(sd);
  const bounded = vital === 'SPO2' ? Math.min(100, value) : value;
  return { code: vital, value: round(Math.max(0, bounded), decimals), unit };
}

function round(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}

function isoWithOffset(ms: number, offsetMinutes: number): string {
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, -1);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * Payloads as a device puts them on the wire (docs/MQTT.md). The simulator writes them itself
 * rather than borrowing the appliance's decoder, so its tests check the documented contract,
 * not one piece of code against itself.
 */
export interface DeviceMeasurement {
  readonly code: string;
  readonly value: number;
  readonly unit: string;
}

export interface VitalsPayload {
  readonly seq: number;
  readonly ts: string | number;
  readonly rhythm?: string;
  readonly measurements: readonly DeviceMeasurement[];
}

export interface WaveformJsonPayload {
  readonly seq: number;
  readonly ts: number;
  readonly sampleRateHz: number;
  readonly samples: readonly number[];
}

/** HWF1: "HWF1", uint32 seq, float64 ts ms, float32 rate Hz, uint32 count, int16 samples; little-endian. */
export function encodeHwf1(seq: number, ts: number, sampleRateHz: number, samples: Int16Array): Buffer {
  const out = Buffer.alloc(24 + samples.length * 2);
  out.write('HWF1', 0, 'latin1');
  out.writeUInt32LE(seq, 4);
  out.writeDoubleLE(ts, 8);
  out.writeFloatLE(sampleRateHz, 16);
  out.writeUInt32LE(samples.length, 20);
  samples.forEach((sample, i) => out.writeInt16LE(sample, 24 + i * 2));
  return out;
}

/**
 * HWF1, the compact waveform chunk (all little-endian):
 *
 *   offset  size  field
 *        0     4  magic "HWF1" (ASCII)
 *        4     4  seq           uint32
 *        8     8  ts            float64, epoch ms of the first sample
 *       16     4  sampleRateHz  float32
 *       20     4  count         uint32, number of samples
 *       24  2*count samples     int16
 *
 * JSON costs two to three times the bytes for the same chunk, and a 12-lead monitor at 500 Hz
 * sends 6000 samples a second: that is why this exists.
 */
export const HWF1_MAGIC = 'HWF1';
export const HWF1_HEADER_BYTES = 24;

export interface WaveformFrame {
  readonly seq: number;
  readonly ts: number;
  readonly sampleRateHz: number;
  readonly samples: ArrayLike<number>;
}

export function isHwf1(raw: Uint8Array): boolean {
  return raw.byteLength >= 4 && Buffer.from(raw.buffer, raw.byteOffset, 4).toString('latin1') === HWF1_MAGIC;
}

/** Encodes a chunk as HWF1; samples must already be int16. */
export function encodeWaveformBinary(frame: WaveformFrame): Buffer {
  const out = Buffer.alloc(HWF1_HEADER_BYTES + frame.samples.length * 2);
  out.write(HWF1_MAGIC, 0, 'latin1');
  out.writeUInt32LE(frame.seq, 4);
  out.writeDoubleLE(frame.ts, 8);
  out.writeFloatLE(frame.sampleRateHz, 16);
  out.writeUInt32LE(frame.samples.length, 20);
  for (let i = 0; i < frame.samples.length; i += 1) out.writeInt16LE(frame.samples[i] as number, HWF1_HEADER_BYTES + i * 2);
  return out;
}

export interface Hwf1Header {
  readonly seq: number;
  readonly ts: number;
  readonly sampleRateHz: number;
  readonly count: number;
}

/** Reads the header of a buffer already known to start with the magic; the caller checks the body length. */
export function readHwf1Header(raw: Uint8Array): Hwf1Header | undefined {
  if (raw.byteLength < HWF1_HEADER_BYTES) return undefined;
  const view = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  return {
    seq: view.readUInt32LE(4),
    ts: view.readDoubleLE(8),
    sampleRateHz: view.readFloatLE(16),
    count: view.readUInt32LE(20),
  };
}

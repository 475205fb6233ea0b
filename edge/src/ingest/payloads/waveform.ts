import { z } from 'zod';
import { IngestError, capIssues, type IngestIssue } from '../errors.js';
import { assertPayloadSize, parseStructure, readJson, type RawPayload } from './json.js';
import { HWF1_HEADER_BYTES, isHwf1, readHwf1Header } from './waveform-binary.js';
import { readTimestamp, type PayloadContext } from './context.js';

export const SAMPLE_RATE_MIN_HZ = 25;
export const SAMPLE_RATE_MAX_HZ = 2000;
export const MAX_CHUNK_SAMPLES = 8192;
/** Enough for a full chunk as JSON ("-32768," per sample) with room for the header fields. */
export const DEFAULT_WAVEFORM_MAX_BYTES = 96 * 1024;

export interface WaveformChunk {
  readonly seq: number;
  /** The device's time of the first sample (epoch ms); gap detection runs on this timeline. */
  readonly deviceTs: number;
  /** The first sample's time on the appliance clock (deviceTs corrected for skew). */
  readonly startedAt: number;
  readonly skewMs: number;
  readonly sampleRateHz: number;
  readonly sampleCount: number;
  readonly durationMs: number;
  readonly samples: Int16Array;
  /** The samples as int16 little-endian, the stored form. */
  readonly bytes: Buffer;
  readonly encoding: 'json' | 'binary';
}

const JsonChunkSchema = z.object({
  seq: z.int({ error: 'must be an integer' }).min(0),
  ts: z.union([z.string().max(64), z.number()], { error: 'must be an ISO-8601 string or epoch milliseconds' }),
  sampleRateHz: z.number({ error: 'must be a number' }).min(SAMPLE_RATE_MIN_HZ).max(SAMPLE_RATE_MAX_HZ),
  samples: z
    .array(z.int({ error: 'must be an integer' }).min(-32768, 'below the int16 minimum -32768').max(32767, 'above the int16 maximum 32767'))
    .min(1)
    .max(MAX_CHUNK_SAMPLES),
});

interface DecodedFrame {
  readonly seq: number;
  readonly ts: string | number;
  readonly sampleRateHz: number;
  readonly samples: Int16Array;
  readonly encoding: WaveformChunk['encoding'];
}

/** Parses a waveform chunk in either encoding (HWF1 binary or JSON), or throws IngestError. */
export function parseWaveformPayload(raw: RawPayload, context: PayloadContext): WaveformChunk {
  assertPayloadSize(raw, context.maxBytes ?? DEFAULT_WAVEFORM_MAX_BYTES);
  const frame = typeof raw !== 'string' && isHwf1(raw) ? decodeBinary(raw) : decodeJson(raw);
  const issues: IngestIssue[] = [];
  const deviceTs = readTimestamp(frame.ts, context, issues);
  if (issues.length > 0) throw IngestError.fromIssues(issues, { seq: frame.seq });
  const sampleCount = frame.samples.length;
  const durationMs = (sampleCount * 1000) / frame.sampleRateHz;
  // Devices stamp the first sample but send after the last: the clock sees the chunk's end.
  const end = context.clock?.observe(deviceTs + durationMs, context.receivedAt);
  const skewMs = end === undefined ? 0 : Math.round(end.observedAt - (deviceTs + durationMs));
  return {
    seq: frame.seq,
    deviceTs,
    startedAt: deviceTs + skewMs,
    skewMs,
    sampleRateHz: frame.sampleRateHz,
    sampleCount,
    durationMs,
    samples: frame.samples,
    bytes: int16LittleEndian(frame.samples),
    encoding: frame.encoding,
  };
}

function decodeJson(raw: RawPayload): DecodedFrame {
  if (typeof raw !== 'string' && startsWithHwf(raw)) {
    throw new IngestError('PAYLOAD_INVALID', [{ field: '(payload)', problem: 'unsupported binary format; this appliance reads HWF1', code: 'PAYLOAD_INVALID' }]);
  }
  const chunk = parseStructure(JsonChunkSchema, readJson(raw));
  return { ...chunk, samples: Int16Array.from(chunk.samples), encoding: 'json' };
}

function decodeBinary(raw: Uint8Array): DecodedFrame {
  const header = readHwf1Header(raw);
  if (header === undefined) {
    throw new IngestError('PAYLOAD_INVALID', [{ field: '(header)', problem: `HWF1 header needs ${HWF1_HEADER_BYTES} bytes`, code: 'PAYLOAD_INVALID' }]);
  }
  const issues = binaryIssues(header, raw.byteLength);
  if (issues.length > 0) throw IngestError.fromIssues(capIssues(issues), { seq: header.seq });
  const body = Buffer.from(raw.buffer, raw.byteOffset + HWF1_HEADER_BYTES, header.count * 2);
  const samples = new Int16Array(header.count);
  for (let i = 0; i < header.count; i += 1) samples[i] = body.readInt16LE(i * 2);
  // float32 cannot hold 250.1 exactly; millihertz is finer than any device's clock.
  const sampleRateHz = Math.round(header.sampleRateHz * 1000) / 1000;
  return { seq: header.seq, ts: header.ts, sampleRateHz, samples, encoding: 'binary' };
}

function binaryIssues(header: { ts: number; sampleRateHz: number; count: number }, byteLength: number): IngestIssue[] {
  const issues: IngestIssue[] = [];
  if (!Number.isFinite(header.ts)) issues.push({ field: 'ts', problem: 'not a finite number of epoch milliseconds', code: 'TIMESTAMP_INVALID' });
  if (!(header.sampleRateHz >= SAMPLE_RATE_MIN_HZ && header.sampleRateHz <= SAMPLE_RATE_MAX_HZ)) {
    issues.push({ field: 'sampleRateHz', problem: `must be ${SAMPLE_RATE_MIN_HZ}..${SAMPLE_RATE_MAX_HZ} Hz`, code: 'PAYLOAD_INVALID' });
  }
  if (header.count < 1 || header.count > MAX_CHUNK_SAMPLES) {
    issues.push({ field: 'count', problem: `must be 1..${MAX_CHUNK_SAMPLES}`, code: 'PAYLOAD_INVALID' });
  } else if (byteLength !== HWF1_HEADER_BYTES + header.count * 2) {
    issues.push({ field: 'samples', problem: `expected ${header.count * 2} bytes of int16 samples after the header, got ${byteLength - HWF1_HEADER_BYTES}`, code: 'PAYLOAD_INVALID' });
  }
  return issues;
}

function startsWithHwf(raw: Uint8Array): boolean {
  return raw.byteLength >= 3 && raw[0] === 0x48 && raw[1] === 0x57 && raw[2] === 0x46;
}

function int16LittleEndian(samples: Int16Array): Buffer {
  const out = Buffer.alloc(samples.length * 2);
  samples.forEach((s, i) => out.writeInt16LE(s, i * 2));
  return out;
}

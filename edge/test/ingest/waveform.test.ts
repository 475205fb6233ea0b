import { describe, expect, it } from 'vitest';
import {
  DeviceClock,
  HWF1_HEADER_BYTES,
  IngestError,
  MAX_CHUNK_SAMPLES,
  WaveformGapDetector,
  encodeWaveformBinary,
  parseWaveformPayload,
  type Continuity,
  type IngestErrorCode,
  type PayloadContext,
} from '../../src/ingest/payloads/index.js';

const TS = Date.UTC(2025, 2, 1, 12, 0, 0);
const context: PayloadContext = { receivedAt: TS + 1050 };
const SAMPLES = [0, 12, -40, 220, -60, 32767, -32768, 5];

function rejection(raw: string | Uint8Array, ctx: PayloadContext = context): IngestError {
  try {
    parseWaveformPayload(raw, ctx);
  } catch (error) {
    if (error instanceof IngestError) return error;
    throw error;
  }
  throw new Error('expected the chunk to be refused');
}

function jsonChunk(fields: Record<string, unknown> = {}): string {
  return JSON.stringify({ seq: 4, ts: TS, sampleRateHz: 250, samples: SAMPLES, ...fields });
}

function binaryChunk(fields: Partial<{ seq: number; ts: number; sampleRateHz: number; samples: number[] }> = {}): Buffer {
  return encodeWaveformBinary({ seq: 4, ts: TS, sampleRateHz: 250, samples: SAMPLES, ...fields });
}

describe('waveform chunk: the two encodings', () => {
  it('reads a JSON chunk into int16 samples and little-endian bytes for storage', () => {
    const chunk = parseWaveformPayload(jsonChunk(), context);
    expect(chunk).toMatchObject({ seq: 4, deviceTs: TS, startedAt: TS, skewMs: 0, sampleRateHz: 250, sampleCount: 8, durationMs: 32, encoding: 'json' });
    expect(Array.from(chunk.samples)).toEqual(SAMPLES);
    expect(chunk.bytes.readInt16LE(10)).toBe(32767);
    expect(chunk.bytes).toHaveLength(16);
  });

  it('reads an HWF1 chunk to exactly what the same JSON chunk gives', () => {
    const fromBinary = parseWaveformPayload(binaryChunk(), context);
    const fromJson = parseWaveformPayload(jsonChunk(), context);
    expect({ ...fromBinary, encoding: 'json' }).toEqual(fromJson);
    expect(fromBinary.encoding).toBe('binary');
  });

  it('keeps HWF1 samples byte for byte', () => {
    const raw = binaryChunk();
    expect(parseWaveformPayload(raw, context).bytes.equals(raw.subarray(HWF1_HEADER_BYTES))).toBe(true);
  });

  it('lays HWF1 out as documented: magic, uint32 seq, float64 ts, float32 rate, uint32 count, int16 samples', () => {
    const raw = binaryChunk({ seq: 0x01020304, samples: [-2] });
    expect(raw.subarray(0, 4).toString('latin1')).toBe('HWF1');
    expect(raw.readUInt32LE(4)).toBe(0x01020304);
    expect(raw.readDoubleLE(8)).toBe(TS);
    expect(raw.readFloatLE(16)).toBe(250);
    expect(raw.readUInt32LE(20)).toBe(1);
    expect([...raw.subarray(24)]).toEqual([0xfe, 0xff]);
  });

  it('reads a sample rate that float32 cannot hold exactly as the rate meant', () => {
    expect(parseWaveformPayload(binaryChunk({ sampleRateHz: 250.1 }), context).sampleRateHz).toBe(250.1);
  });

  it('accepts a chunk stamped with an ISO-8601 time', () => {
    expect(parseWaveformPayload(jsonChunk({ ts: new Date(TS).toISOString() }), context).deviceTs).toBe(TS);
  });

  it(`accepts the largest chunk, ${MAX_CHUNK_SAMPLES} samples, in both encodings under the default size limit`, () => {
    const samples = Array.from({ length: MAX_CHUNK_SAMPLES }, () => -32768);
    expect(parseWaveformPayload(jsonChunk({ samples }), context).sampleCount).toBe(MAX_CHUNK_SAMPLES);
    expect(parseWaveformPayload(binaryChunk({ samples }), context).sampleCount).toBe(MAX_CHUNK_SAMPLES);
  });
});

describe('waveform chunk: refusals', () => {
  const truncated = binaryChunk().subarray(0, HWF1_HEADER_BYTES + 3);
  const trailing = Buffer.concat([binaryChunk(), Buffer.from([0])]);
  const headerOnly = binaryChunk().subarray(0, 20);
  const version2 = Buffer.from(binaryChunk());
  version2.write('HWF2', 0, 'latin1');
  const countTooLarge = Buffer.from(binaryChunk());
  countTooLarge.writeUInt32LE(MAX_CHUNK_SAMPLES + 1, 20);

  it.each<[string, string | Uint8Array, IngestErrorCode, string]>([
    ['a JSON sample rate below 25 Hz', jsonChunk({ sampleRateHz: 24 }), 'PAYLOAD_INVALID', 'sampleRateHz'],
    ['a JSON sample rate above 2000 Hz', jsonChunk({ sampleRateHz: 2001 }), 'PAYLOAD_INVALID', 'sampleRateHz'],
    ['a binary sample rate below 25 Hz', binaryChunk({ sampleRateHz: 24 }), 'PAYLOAD_INVALID', 'sampleRateHz'],
    ['a binary sample rate of NaN', binaryChunk({ sampleRateHz: Number.NaN }), 'PAYLOAD_INVALID', 'sampleRateHz'],
    ['no samples (JSON)', jsonChunk({ samples: [] }), 'PAYLOAD_INVALID', 'samples'],
    ['no samples (binary)', binaryChunk({ samples: [] }), 'PAYLOAD_INVALID', 'count'],
    ['too many samples (JSON)', jsonChunk({ samples: Array.from({ length: MAX_CHUNK_SAMPLES + 1 }, () => 0) }), 'PAYLOAD_INVALID', 'samples'],
    ['a count above the limit (binary)', countTooLarge, 'PAYLOAD_INVALID', 'count'],
    ['a sample above int16', jsonChunk({ samples: [0, 32768] }), 'PAYLOAD_INVALID', 'samples[1]'],
    ['a sample below int16', jsonChunk({ samples: [-32769] }), 'PAYLOAD_INVALID', 'samples[0]'],
    ['a fractional sample', jsonChunk({ samples: [1.5] }), 'PAYLOAD_INVALID', 'samples[0]'],
    ['a missing seq', JSON.stringify({ ts: TS, sampleRateHz: 250, samples: [1] }), 'PAYLOAD_INVALID', 'seq'],
    ['samples cut short', truncated, 'PAYLOAD_INVALID', 'samples'],
    ['a trailing byte', trailing, 'PAYLOAD_INVALID', 'samples'],
    ['a header cut short', headerOnly, 'PAYLOAD_INVALID', '(header)'],
    ['another binary version', version2, 'PAYLOAD_INVALID', '(payload)'],
    ['a binary ts of NaN', binaryChunk({ ts: Number.NaN }), 'TIMESTAMP_INVALID', 'ts'],
    ['a ts before 2020', binaryChunk({ ts: Date.UTC(2019, 0, 1) }), 'TIMESTAMP_INVALID', 'ts'],
    ['a ts without offset', jsonChunk({ ts: '2025-03-01T12:00:00' }), 'TIMESTAMP_INVALID', 'ts'],
    ['bytes that are neither HWF1 nor JSON', Buffer.from([0x00, 0x01, 0x02]), 'PAYLOAD_MALFORMED_JSON', '(payload)'],
  ])('refuses %s', (_case, raw, code, field) => {
    const error = rejection(raw);
    expect(error.code).toBe(code);
    expect(error.issues[0]?.field).toBe(field);
  });

  it('refuses a chunk over the size limit', () => {
    expect(rejection(binaryChunk(), { ...context, maxBytes: 30 }).code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('lists at most 20 problems for a chunk full of bad samples', () => {
    const error = rejection(jsonChunk({ samples: Array.from({ length: 500 }, () => 40_000) }));
    expect(error.issues).toHaveLength(20);
    expect(error.issues.at(-1)).toMatchObject({ field: '(more)', problem: '481 further problems not listed' });
  });
});

describe('waveform chunk: device clock', () => {
  it('judges skew on the chunk end, so a synchronised device sending after its last sample is not corrected', () => {
    const clock = new DeviceClock();
    for (let i = 0; i < 10; i += 1) {
      const ts = TS + i * 1000;
      const chunk = parseWaveformPayload(binaryChunk({ seq: i, ts, samples: Array.from({ length: 250 }, () => 0) }), { receivedAt: ts + 1050, clock });
      expect(chunk.startedAt).toBe(ts);
    }
  });

  it('corrects the start of chunks from a device ten seconds behind', () => {
    const clock = new DeviceClock();
    const chunks = Array.from({ length: 10 }, (_, i) => {
      const measuredAt = TS + i * 1000;
      return parseWaveformPayload(binaryChunk({ seq: i, ts: measuredAt - 10_000, samples: Array.from({ length: 250 }, () => 0) }), {
        receivedAt: measuredAt + 1050,
        clock,
      });
    });
    const last = chunks.at(-1)!;
    expect(last.startedAt).toBe(TS + 9000 + 50);
    expect(last.deviceTs).toBe(TS + 9000 - 10_000);
  });
});

describe('WaveformGapDetector', () => {
  // 250 Hz, 250 samples: each chunk lasts 1000 ms; one sample period is 4 ms.
  const at = (seq: number, deviceTs: number, sampleRateHz = 250, sampleCount = 250) => ({ seq, deviceTs, sampleRateHz, sampleCount });

  it.each<[string, ReturnType<typeof at>[], Continuity, number | null, number, number]>([
    ['the first chunk', [at(0, TS)], 'first', null, 0, 0],
    ['a chunk starting where the last ended', [at(0, TS), at(1, TS + 1000)], 'contiguous', 0, 0, 0],
    ['a chunk within one sample period of the last end', [at(0, TS), at(1, TS + 1003)], 'contiguous', 0, 0, 0],
    ['a chunk starting 500 ms after the last end', [at(0, TS), at(1, TS + 1500)], 'gap', 500, 0, 0],
    ['a lost chunk', [at(0, TS), at(2, TS + 2000)], 'gap', 1000, 0, 1],
    ['a chunk starting 200 ms before the last end', [at(0, TS), at(1, TS + 800)], 'overlap', 0, 200, 0],
    ['a clock stepping back with seq rising', [at(0, TS), at(1, TS - 5000)], 'overlap', 0, 6000, 0],
    ['a repeated seq', [at(0, TS), at(1, TS + 1000), at(1, TS + 1000)], 'duplicate', null, 0, 0],
    ['an older seq', [at(0, TS), at(5, TS + 5000), at(3, TS + 3000)], 'out-of-order', null, 0, 0],
    ['a 3 ms gap at 500 Hz, more than one 2 ms period', [at(0, TS, 500, 500), at(1, TS + 1003, 500, 500)], 'gap', 3, 0, 0],
  ])('reports %s', (_case, chunks, continuity, gapBeforeMs, overlapMs, missedChunks) => {
    const detector = new WaveformGapDetector();
    const reports = chunks.map((c) => detector.observe(c));
    expect(reports.at(-1)).toEqual({ continuity, gapBeforeMs, overlapMs, missedChunks });
  });

  it('is not thrown off by a duplicate or a late chunk: the next chunk is still contiguous', () => {
    const detector = new WaveformGapDetector();
    detector.observe(at(0, TS));
    detector.observe(at(1, TS + 1000));
    detector.observe(at(1, TS + 1000));
    detector.observe(at(0, TS));
    expect(detector.observe(at(2, TS + 2000)).continuity).toBe('contiguous');
  });

  it('starts over after reset', () => {
    const detector = new WaveformGapDetector();
    detector.observe(at(0, TS));
    detector.reset();
    expect(detector.observe(at(9, TS + 60_000)).continuity).toBe('first');
  });

  it('works on parsed chunks directly', () => {
    const detector = new WaveformGapDetector();
    const samples = Array.from({ length: 250 }, () => 0);
    detector.observe(parseWaveformPayload(binaryChunk({ seq: 0, samples }), context));
    const next = parseWaveformPayload(binaryChunk({ seq: 1, ts: TS + 1250, samples }), { receivedAt: TS + 2300 });
    expect(detector.observe(next)).toMatchObject({ continuity: 'gap', gapBeforeMs: 250 });
  });
});

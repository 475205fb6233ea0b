import { describe, expect, it } from 'vitest';
import {
  INGEST_ERROR_CODES,
  INGEST_REASONS,
  IngestError,
  admitSeq,
  encodeWaveformBinary,
  parseVitalsPayload,
  parseWaveformPayload,
  rejectionReply,
  type IngestErrorCode,
  type RejectionReply,
} from '../../src/ingest/payloads/index.js';

const NOW = Date.UTC(2025, 2, 1, 12, 0, 0);
const TOPIC = 'hema3n/v1/devices/mon-1/vitals';
const hr = (value: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ seq: 9, ts: NOW - 100, measurements: [{ code: 'HR', value, unit: '/min' }], ...extra });

function caught(action: () => unknown): IngestError {
  try {
    action();
  } catch (error) {
    if (error instanceof IngestError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

/** One way to provoke every refusal a device can receive. */
const PROVOKE: Record<IngestErrorCode, () => unknown> = {
  PAYLOAD_MALFORMED_JSON: () => parseVitalsPayload('{"seq":', { receivedAt: NOW }),
  PAYLOAD_TOO_LARGE: () => parseVitalsPayload(hr(70), { receivedAt: NOW, maxBytes: 10 }),
  PAYLOAD_INVALID: () => parseVitalsPayload('{"seq":"one"}', { receivedAt: NOW }),
  MEASUREMENT_UNKNOWN_CODE: () => parseVitalsPayload(hr(70).replace('"HR"', '"HEARTBEAT"'), { receivedAt: NOW }),
  MEASUREMENT_UNIT_INVALID: () => parseVitalsPayload(hr(70).replace('"/min"', '"Hz"'), { receivedAt: NOW }),
  MEASUREMENT_IMPOSSIBLE: () => parseVitalsPayload(hr(900), { receivedAt: NOW }),
  TIMESTAMP_INVALID: () =>
    parseWaveformPayload(encodeWaveformBinary({ seq: 1, ts: NOW + 3 * 86_400_000, sampleRateHz: 250, samples: [1] }), { receivedAt: NOW }),
  SEQ_STALE: () => admitSeq(5000, 1),
};

describe('rejection codes', () => {
  it.each(INGEST_ERROR_CODES.map((code) => [code]))('%s can be provoked and has a reason for the device', (code) => {
    expect(caught(PROVOKE[code]).code).toBe(code);
    expect(INGEST_REASONS[code]).toMatch(/\.$/);
  });
});

describe('rejectionReply', () => {
  it('tells the device what was refused, why, and when', () => {
    const reply = JSON.parse(rejectionReply(caught(PROVOKE.MEASUREMENT_IMPOSSIBLE), { topic: TOPIC, now: NOW })) as RejectionReply;
    expect(reply).toEqual({
      type: 'rejected',
      code: 'MEASUREMENT_IMPOSSIBLE',
      reason: INGEST_REASONS.MEASUREMENT_IMPOSSIBLE,
      issues: [{ field: 'measurements[0].value', problem: 'HR above the possible maximum 350 /min', code: 'MEASUREMENT_IMPOSSIBLE' }],
      seq: 9,
      topic: TOPIC,
      at: '2025-03-01T12:00:00.000Z',
    });
  });

  it('uses the seq the caller gives, and null when none could be read', () => {
    expect(JSON.parse(rejectionReply(caught(PROVOKE.MEASUREMENT_IMPOSSIBLE), { topic: TOPIC, seq: 44 })).seq).toBe(44);
    expect(JSON.parse(rejectionReply(caught(PROVOKE.PAYLOAD_MALFORMED_JSON), { topic: TOPIC })).seq).toBeNull();
  });

  it('echoes no value, free text or unknown code the device sent', () => {
    const raw = JSON.stringify({
      seq: 3,
      ts: NOW,
      note: 'Jane Example, 12 Any Street',
      measurements: [
        { code: 'HR', value: 412.7, unit: '/min' },
        { code: 'JANE_EXAMPLE_BP', value: 1, unit: '/min' },
        { code: 'TEMP', value: 17.25, unit: 'Cel' },
        { code: 'SPO2', value: 93.5, unit: 'Jane' },
      ],
    });
    const reply = rejectionReply(caught(() => parseVitalsPayload(raw, { receivedAt: NOW })), { topic: TOPIC, now: NOW });
    for (const sent of ['412.7', '17.25', '93.5', 'Jane', 'JANE', 'Street']) expect(reply).not.toContain(sent);
    expect(JSON.parse(reply).issues).toHaveLength(4);
  });

  it('stays short for a chunk full of bad samples', () => {
    const bad = JSON.stringify({ seq: 1, ts: NOW, sampleRateHz: 250, samples: Array.from({ length: 8000 }, () => 99_999) });
    const reply = rejectionReply(caught(() => parseWaveformPayload(bad, { receivedAt: NOW })), { topic: TOPIC });
    expect(JSON.parse(reply).issues).toHaveLength(20);
    expect(reply.length).toBeLessThan(4096);
  });
});

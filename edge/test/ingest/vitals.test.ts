import { describe, expect, it } from 'vitest';
import {
  DEFAULT_VITALS_MAX_BYTES,
  DeviceClock,
  IngestError,
  MAX_MEASUREMENTS,
  parseVitalsPayload,
  type PayloadContext,
} from '../../src/ingest/payloads/index.js';

const RECEIVED_AT = Date.UTC(2025, 2, 1, 12, 0, 0);
const context: PayloadContext = { receivedAt: RECEIVED_AT };

type Item = { code: string | number; value: number; unit: string };

function payload(measurements: Item[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ seq: 7, ts: new Date(RECEIVED_AT - 150).toISOString(), measurements, ...extra });
}

function rejection(raw: string | Uint8Array, ctx: PayloadContext = context): IngestError {
  try {
    parseVitalsPayload(raw, ctx);
  } catch (error) {
    if (error instanceof IngestError) return error;
    throw error;
  }
  throw new Error('expected the payload to be refused');
}

describe('vitals payload: units are normalised to the canonical UCUM unit', () => {
  it.each<[string, number, string, number, string]>([
    ['HR', 72, '/min', 72, '/min'],
    ['HR', 72, 'bpm', 72, '/min'],
    ['HR', 72, 'BPM', 72, '/min'],
    ['HR', 72, '{beats}/min', 72, '/min'],
    ['RR', 16, 'breaths/min', 16, '/min'],
    ['RR', 16, 'bpm', 16, '/min'],
    ['SPO2', 97, '%', 97, '%'],
    ['SBP', 120, 'mmHg', 120, 'mm[Hg]'],
    ['SBP', 120, 'mm[Hg]', 120, 'mm[Hg]'],
    ['SBP', 16, 'kPa', 120, 'mm[Hg]'],
    ['DBP', 10.7, 'kPa', 80.3, 'mm[Hg]'],
    ['MAP', 12.4, 'kPa', 93, 'mm[Hg]'],
    ['ETCO2', 5.3, 'kPa', 39.8, 'mm[Hg]'],
    ['ETCO2', 38, 'mmHg', 38, 'mm[Hg]'],
    ['TEMP', 37.2, 'Cel', 37.2, 'Cel'],
    ['TEMP', 37.2, 'degC', 37.2, 'Cel'],
    ['TEMP', 37.2, '°C', 37.2, 'Cel'],
    ['TEMP', 98.6, '[degF]', 37, 'Cel'],
    ['TEMP', 102.2, 'degF', 39, 'Cel'],
    ['TEMP', 95, '°F', 35, 'Cel'],
    ['GLUCOSE', 100, 'mg/dL', 100, 'mg/dL'],
    ['GLUCOSE', 5.5, 'mmol/L', 99.1, 'mg/dL'],
    ['GLUCOSE', 2.2, 'mmol/l', 39.6, 'mg/dL'],
    ['GCS', 15, '{score}', 15, '{score}'],
    ['PAIN', 4, 'score', 4, '{score}'],
  ])('%s %s %s is stored as %s %s', (code, value, unit, expectedValue, expectedUnit) => {
    const message = parseVitalsPayload(payload([{ code, value, unit }]), context);
    expect(message.measurements).toEqual([expect.objectContaining({ code, value: expectedValue, unit: expectedUnit })]);
  });

  it.each<[string, string]>([
    ['HR', '%'],
    ['HR', ''],
    ['SPO2', 'mmHg'],
    ['SBP', 'cmH2O'],
    ['ETCO2', '%'],
    ['TEMP', 'K'],
    ['TEMP', 'C'],
    ['GLUCOSE', 'g/L'],
    ['GCS', 'points'],
  ])('%s in "%s" is refused as MEASUREMENT_UNIT_INVALID and the accepted units are named', (code, unit) => {
    const error = rejection(payload([{ code, value: 10, unit }]));
    expect(error.code).toBe('MEASUREMENT_UNIT_INVALID');
    expect(error.issues).toEqual([
      expect.objectContaining({ field: 'measurements[0].unit', code: 'MEASUREMENT_UNIT_INVALID', problem: expect.stringContaining(code) }),
    ]);
  });
});

describe('vitals payload: codes, LOINC and IEEE 11073 MDC aliases', () => {
  it.each<[string | number, string, string, string]>([
    ['HR', '/min', 'HR', '8867-4'],
    ['hr', '/min', 'HR', '8867-4'],
    ['SpO2', '%', 'SPO2', '59408-5'],
    ['EtCO2', 'mmHg', 'ETCO2', '19889-5'],
    ['8867-4', '/min', 'HR', '8867-4'],
    ['2708-6', '%', 'SPO2', '59408-5'],
    ['59408-5', '%', 'SPO2', '59408-5'],
    ['72514-3', '{score}', 'PAIN', '72514-3'],
    [147842, '/min', 'HR', '8867-4'],
    ['147842', '/min', 'HR', '8867-4'],
    ['MDC_ECG_HEART_RATE', '/min', 'HR', '8867-4'],
    [151562, '/min', 'RR', '9279-1'],
    [150456, '%', 'SPO2', '59408-5'],
    [150021, 'mmHg', 'SBP', '8480-6'],
    [150033, 'mmHg', 'SBP', '8480-6'],
    [150022, 'mmHg', 'DBP', '8462-4'],
    [150023, 'mmHg', 'MAP', '8478-0'],
    [150364, 'Cel', 'TEMP', '8310-5'],
    ['MDC_TEMP_BODY', 'Cel', 'TEMP', '8310-5'],
    [151708, 'mmHg', 'ETCO2', '19889-5'],
    [151728, 'mmHg', 'ETCO2', '19889-5'],
    [160184, 'mg/dL', 'GLUCOSE', '2339-0'],
    [153728, '{score}', 'GCS', '9269-2'],
  ])('code %s is read as %s', (code, unit, expectedCode, loinc) => {
    const value = expectedCode === 'GCS' ? 14 : expectedCode === 'PAIN' ? 3 : 37;
    const [measurement] = parseVitalsPayload(payload([{ code, value, unit }]), context).measurements;
    expect(measurement).toMatchObject({ code: expectedCode, loinc });
  });

  it.each<[string | number]>([['XX'], ['BP'], [188496], [999999], ['1234-5'], ['MDC_FOO']])(
    'code %s is refused as MEASUREMENT_UNKNOWN_CODE',
    (code) => {
      const error = rejection(payload([{ code, value: 1, unit: '/min' }]));
      expect(error.code).toBe('MEASUREMENT_UNKNOWN_CODE');
      expect(error.issues[0]?.field).toBe('measurements[0].code');
    },
  );
});

describe('vitals payload: physiologically impossible values', () => {
  it.each<[string, string, number, boolean]>([
    ['HR', '/min', 0, true],
    ['HR', '/min', 350, true],
    ['HR', '/min', -1, false],
    ['HR', '/min', 351, false],
    ['RR', '/min', 0, true],
    ['RR', '/min', 100, true],
    ['RR', '/min', 101, false],
    ['SPO2', '%', 100, true],
    ['SPO2', '%', 100.5, false],
    ['SPO2', '%', -0.1, false],
    ['SBP', 'mmHg', 10, true],
    ['SBP', 'mmHg', 9, false],
    ['SBP', 'mmHg', 350, true],
    ['SBP', 'mmHg', 351, false],
    ['DBP', 'mmHg', 5, true],
    ['DBP', 'mmHg', 4, false],
    ['DBP', 'mmHg', 250, true],
    ['DBP', 'mmHg', 251, false],
    ['MAP', 'mmHg', 300, true],
    ['MAP', 'mmHg', 301, false],
    ['TEMP', 'Cel', 20, true],
    ['TEMP', 'Cel', 19.9, false],
    ['TEMP', 'Cel', 46, true],
    ['TEMP', 'Cel', 46.1, false],
    ['TEMP', '[degF]', 68, true],
    ['TEMP', '[degF]', 115, false],
    ['ETCO2', 'mmHg', 0, true],
    ['ETCO2', 'mmHg', 150, true],
    ['ETCO2', 'mmHg', 151, false],
    ['ETCO2', 'kPa', 20.1, false],
    ['GLUCOSE', 'mg/dL', 5, true],
    ['GLUCOSE', 'mg/dL', 4.9, false],
    ['GLUCOSE', 'mg/dL', 2000, true],
    ['GLUCOSE', 'mg/dL', 2001, false],
    ['GLUCOSE', 'mmol/L', 111.1, false],
    ['GLUCOSE', 'mmol/L', 0.2, false],
    ['GCS', '{score}', 3, true],
    ['GCS', '{score}', 15, true],
    ['GCS', '{score}', 2, false],
    ['GCS', '{score}', 16, false],
    ['GCS', '{score}', 14.5, false],
    ['PAIN', '{score}', 0, true],
    ['PAIN', '{score}', 10, true],
    ['PAIN', '{score}', 11, false],
    ['PAIN', '{score}', 3.5, false],
  ])('%s %s %s is accepted: %s', (code, unit, value, accepted) => {
    const raw = payload([{ code, value, unit }]);
    if (accepted) {
      expect(parseVitalsPayload(raw, context).measurements).toHaveLength(1);
      return;
    }
    const error = rejection(raw);
    expect(error.code).toBe('MEASUREMENT_IMPOSSIBLE');
    expect(error.issues[0]).toMatchObject({ field: 'measurements[0].value', code: 'MEASUREMENT_IMPOSSIBLE' });
    expect(error.issues[0]?.problem).toContain(code);
  });

  it('names the limit in the problem but never the value sent', () => {
    const error = rejection(payload([{ code: 'HR', value: 387.25, unit: '/min' }]));
    expect(error.issues[0]?.problem).toBe('HR above the possible maximum 350 /min');
    expect(JSON.stringify(error.issues)).not.toContain('387');
    expect(error.message).not.toContain('387');
  });

  it.each<[string, Item[], string]>([
    ['SBP equal to DBP', [{ code: 'SBP', value: 90, unit: 'mmHg' }, { code: 'DBP', value: 90, unit: 'mmHg' }], 'measurements[0].value'],
    ['SBP below DBP', [{ code: 'DBP', value: 95, unit: 'mmHg' }, { code: 'SBP', value: 80, unit: 'mmHg' }], 'measurements[1].value'],
    [
      'MAP above SBP',
      [{ code: 'SBP', value: 120, unit: 'mmHg' }, { code: 'DBP', value: 80, unit: 'mmHg' }, { code: 'MAP', value: 125, unit: 'mmHg' }],
      'measurements[2].value',
    ],
    ['MAP below DBP', [{ code: 'DBP', value: 80, unit: 'mmHg' }, { code: 'MAP', value: 70, unit: 'mmHg' }], 'measurements[1].value'],
  ])('refuses %s in the same sample', (_case, items, field) => {
    const error = rejection(payload(items));
    expect(error.code).toBe('MEASUREMENT_IMPOSSIBLE');
    expect(error.issues).toEqual([expect.objectContaining({ field })]);
  });

  it('accepts a blood pressure whose parts are consistent, including one sent in kPa', () => {
    const message = parseVitalsPayload(
      payload([{ code: 'SBP', value: 16, unit: 'kPa' }, { code: 'DBP', value: 80, unit: 'mmHg' }, { code: 'MAP', value: 93, unit: 'mmHg' }]),
      context,
    );
    expect(message.measurements.map((m) => m.value)).toEqual([120, 80, 93]);
  });
});

describe('vitals payload: structure', () => {
  it.each<[string, unknown, string[]]>([
    ['no seq', { ts: RECEIVED_AT, measurements: [{ code: 'HR', value: 1, unit: '/min' }] }, ['seq']],
    ['a negative seq', { seq: -1, ts: RECEIVED_AT, measurements: [{ code: 'HR', value: 1, unit: '/min' }] }, ['seq']],
    ['a fractional seq', { seq: 1.5, ts: RECEIVED_AT, measurements: [{ code: 'HR', value: 1, unit: '/min' }] }, ['seq']],
    ['a seq as text', { seq: '1', ts: RECEIVED_AT, measurements: [{ code: 'HR', value: 1, unit: '/min' }] }, ['seq']],
    ['no ts', { seq: 1, measurements: [{ code: 'HR', value: 1, unit: '/min' }] }, ['ts']],
    ['a boolean ts', { seq: 1, ts: true, measurements: [{ code: 'HR', value: 1, unit: '/min' }] }, ['ts']],
    ['no measurements', { seq: 1, ts: RECEIVED_AT, measurements: [] }, ['measurements']],
    ['a value as text', { seq: 1, ts: RECEIVED_AT, measurements: [{ code: 'HR', value: '72', unit: '/min' }] }, ['measurements[0].value']],
    ['a missing unit', { seq: 1, ts: RECEIVED_AT, measurements: [{ code: 'HR', value: 72 }] }, ['measurements[0].unit']],
    ['an unknown rhythm', { seq: 1, ts: RECEIVED_AT, rhythm: 'NSR', measurements: [{ code: 'HR', value: 72, unit: '/min' }] }, ['rhythm']],
    ['an array', [1, 2], ['(payload)']],
    ['a number', 42, ['(payload)']],
    ['several bad fields', { seq: 'x', ts: null, measurements: [{ code: 'HR', value: null, unit: 1 }] }, ['seq', 'ts', 'measurements[0].value', 'measurements[0].unit']],
  ])('refuses %s as PAYLOAD_INVALID naming every bad field', (_case, body, fields) => {
    const error = rejection(JSON.stringify(body));
    expect(error.code).toBe('PAYLOAD_INVALID');
    expect(error.issues.map((i) => i.field)).toEqual(fields);
  });

  it(`refuses more than ${MAX_MEASUREMENTS} measurements in one sample`, () => {
    const items = Array.from({ length: MAX_MEASUREMENTS + 1 }, () => ({ code: 'HR', value: 70, unit: '/min' }));
    const error = rejection(payload(items));
    expect(error.code).toBe('PAYLOAD_INVALID');
    expect(error.issues[0]?.field).toBe('measurements');
  });

  it.each<[string, Item[]]>([
    ['the same code twice', [{ code: 'HR', value: 70, unit: '/min' }, { code: 'HR', value: 71, unit: '/min' }]],
    ['a code and its MDC alias', [{ code: 'HR', value: 70, unit: '/min' }, { code: 'MDC_ECG_HEART_RATE', value: 71, unit: '/min' }]],
  ])('refuses %s in one sample', (_case, items) => {
    const error = rejection(payload(items));
    expect(error.code).toBe('PAYLOAD_INVALID');
    expect(error.issues).toEqual([expect.objectContaining({ field: 'measurements[1].code', problem: 'HR already given in measurements[0]' })]);
  });

  it('ignores fields it does not know, so newer firmware keeps working', () => {
    const message = parseVitalsPayload(payload([{ code: 'HR', value: 70, unit: '/min' }], { battery: 80 }), context);
    expect(message.measurements).toHaveLength(1);
  });

  it('passes the monitor rhythm flag through and leaves it out when absent', () => {
    expect(parseVitalsPayload(payload([{ code: 'HR', value: 90, unit: '/min' }], { rhythm: 'STEMI' }), context).rhythm).toBe('STEMI');
    expect(parseVitalsPayload(payload([{ code: 'HR', value: 90, unit: '/min' }]), context)).not.toHaveProperty('rhythm');
  });

  it.each<[string, string | Uint8Array]>([
    ['a truncated object', '{"seq": 1, '],
    ['an empty payload', ''],
    ['bytes that are not UTF-8', new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])],
    ['plain text', 'HR=72'],
  ])('refuses %s as PAYLOAD_MALFORMED_JSON without quoting it', (_case, raw) => {
    const error = rejection(raw);
    expect(error.code).toBe('PAYLOAD_MALFORMED_JSON');
    expect(error.issues).toEqual([{ field: '(payload)', problem: 'not valid UTF-8 JSON', code: 'PAYLOAD_MALFORMED_JSON' }]);
  });

  it('refuses a payload over the size limit before parsing it', () => {
    const error = rejection(payload([{ code: 'HR', value: 70, unit: '/min' }]), { ...context, maxBytes: 64 });
    expect(error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(error.issues[0]?.problem).toContain('at most 64');
  });

  it('has a default size limit that the largest legitimate sample fits in', () => {
    const items = Array.from({ length: MAX_MEASUREMENTS }, () => ({ code: 'MDC_CONC_GLU_CAPILLARY_WHOLEBLOOD', value: -1234567.891, unit: '{breaths}/min' }));
    expect(Buffer.byteLength(payload(items, { rhythm: 'SINUS_BRADY' }))).toBeLessThan(DEFAULT_VITALS_MAX_BYTES);
    expect(rejection(payload(items, { padding: 'x'.repeat(DEFAULT_VITALS_MAX_BYTES) })).code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('reports the most fundamental code when a sample breaks several rules, listing every issue', () => {
    const error = rejection(
      JSON.stringify({
        seq: 3,
        ts: '2019-06-01T00:00:00Z',
        measurements: [
          { code: 'XX', value: 1, unit: '/min' },
          { code: 'SPO2', value: 50, unit: 'mmHg' },
          { code: 'HR', value: 400, unit: '/min' },
        ],
      }),
    );
    expect(error.code).toBe('TIMESTAMP_INVALID');
    expect(error.seq).toBe(3);
    expect(error.issues.map((i) => i.code)).toEqual(['TIMESTAMP_INVALID', 'MEASUREMENT_UNKNOWN_CODE', 'MEASUREMENT_UNIT_INVALID', 'MEASUREMENT_IMPOSSIBLE']);
  });
});

describe('vitals payload: timestamps', () => {
  it.each<[string, string | number, number]>([
    ['ISO-8601 in UTC', '2025-03-01T11:59:59.850Z', RECEIVED_AT - 150],
    ['ISO-8601 with an offset', '2025-03-01T13:59:59.850+02:00', RECEIVED_AT - 150],
    ['ISO-8601 with a compact negative offset', '2025-03-01T06:29:59-0530', RECEIVED_AT - 1000],
    ['ISO-8601 with microseconds', '2025-03-01T11:59:59.850123Z', RECEIVED_AT - 150],
    ['ISO-8601 without seconds', '2025-03-01T11:59Z', RECEIVED_AT - 60_000],
    ['epoch milliseconds', RECEIVED_AT - 150, RECEIVED_AT - 150],
  ])('reads %s', (_case, ts, expected) => {
    const message = parseVitalsPayload(JSON.stringify({ seq: 1, ts, measurements: [{ code: 'HR', value: 70, unit: '/min' }] }), context);
    expect(message.deviceTs).toBe(expected);
    expect(message.observedAt).toBe(expected);
  });

  it.each<[string, string | number, string]>([
    ['a local time without offset', '2025-03-01T12:00:00', 'ISO-8601'],
    ['a space instead of T', '2025-03-01 12:00:00Z', 'ISO-8601'],
    ['31 February', '2025-02-31T12:00:00Z', 'ISO-8601'],
    ['month 13', '2025-13-01T12:00:00Z', 'ISO-8601'],
    ['an offset beyond 14 hours', '2025-03-01T12:00:00+15:00', 'ISO-8601'],
    ['a word', 'yesterday', 'ISO-8601'],
    ['a time before 2020', '2019-12-31T23:59:59Z', 'not set'],
    ['epoch zero', 0, 'not set'],
    ['epoch seconds', Math.floor(RECEIVED_AT / 1000), 'seconds'],
    ['a time two days ahead', RECEIVED_AT + 2 * 86_400_000, 'ahead'],
  ])('refuses %s as TIMESTAMP_INVALID', (_case, ts, hint) => {
    const error = rejection(JSON.stringify({ seq: 1, ts, measurements: [{ code: 'HR', value: 70, unit: '/min' }] }));
    expect(error.code).toBe('TIMESTAMP_INVALID');
    expect(error.issues[0]).toMatchObject({ field: 'ts' });
    expect(error.issues[0]?.problem).toContain(hint);
  });

  it('honours custom limits for absurd timestamps', () => {
    const limits = { earliest: Date.UTC(2025, 0, 1), maxAheadMs: 60_000 };
    const raw = JSON.stringify({ seq: 1, ts: '2024-12-31T00:00:00Z', measurements: [{ code: 'HR', value: 70, unit: '/min' }] });
    expect(rejection(raw, { ...context, timestampLimits: limits }).code).toBe('TIMESTAMP_INVALID');
  });

  it('stores a sample from a clock two hours ahead at its arrival time and reports the skew', () => {
    const ts = RECEIVED_AT + 2 * 3_600_000;
    const raw = JSON.stringify({ seq: 1, ts, measurements: [{ code: 'HR', value: 70, unit: '/min' }] });
    const message = parseVitalsPayload(raw, { ...context, clock: new DeviceClock() });
    expect(message).toMatchObject({ deviceTs: ts, observedAt: RECEIVED_AT, skewMs: -2 * 3_600_000 });
  });

  it('does not let a refused sample move the device clock estimate', () => {
    const clock = new DeviceClock();
    rejection(JSON.stringify({ seq: 1, ts: RECEIVED_AT - 60_000, measurements: [{ code: 'XX', value: 1, unit: '/min' }] }), { ...context, clock });
    expect(clock.estimateMs()).toBeNull();
  });
});

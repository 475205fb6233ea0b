import { z } from 'zod';
import { IngestError, capIssues, type IngestIssue } from '../errors.js';
import { assertPayloadSize, parseStructure, readJson, type RawPayload } from './json.js';
import { VITALS, resolveVitalCode, type CanonicalUnit, type VitalCode } from './measurements.js';
import { readTimestamp, type PayloadContext } from './context.js';
import { acceptedUnits, toCanonicalUnit } from './units.js';

/**
 * The monitor's rhythm interpretation, sent alongside its numbers. STEMI is not a rhythm but
 * monitors raise it from the same analysis, and crews act on it the same way: as a flag.
 */
export const RHYTHMS = ['SINUS', 'SINUS_TACHY', 'SINUS_BRADY', 'AF', 'AFL', 'SVT', 'VT', 'VF', 'ASYSTOLE', 'PEA', 'PACED', 'STEMI'] as const;
export type Rhythm = (typeof RHYTHMS)[number];

export const MAX_MEASUREMENTS = 32;
export const DEFAULT_VITALS_MAX_BYTES = 16 * 1024;

const MeasurementSchema = z.object({
  code: z.union([z.string().min(1).max(64), z.int().min(0)], { error: 'must be a code string or an MDC number' }),
  value: z.number({ error: 'must be a finite number' }),
  unit: z.string({ error: 'must be a string' }).max(32),
});

// Unknown fields are ignored, not refused: newer firmware must not lose a patient's data here.
const VitalsSchema = z.object({
  seq: z.int({ error: 'must be an integer' }).min(0),
  ts: z.union([z.string().max(64), z.number()], { error: 'must be an ISO-8601 string or epoch milliseconds' }),
  rhythm: z.enum(RHYTHMS).optional(),
  measurements: z.array(MeasurementSchema).min(1).max(MAX_MEASUREMENTS),
});

type DeviceMeasurement = z.infer<typeof MeasurementSchema>;

export interface Measurement {
  readonly code: VitalCode;
  readonly loinc: string;
  readonly value: number;
  readonly unit: CanonicalUnit;
}

export interface VitalsMessage {
  readonly seq: number;
  /** The time the device stamped, as epoch ms. */
  readonly deviceTs: number;
  /** The time to store: deviceTs corrected for the device's clock skew. */
  readonly observedAt: number;
  readonly skewMs: number;
  readonly rhythm?: Rhythm;
  readonly measurements: readonly Measurement[];
}

/** Parses and validates a vitals payload, or throws IngestError naming every problem found. */
export function parseVitalsPayload(raw: RawPayload, context: PayloadContext): VitalsMessage {
  assertPayloadSize(raw, context.maxBytes ?? DEFAULT_VITALS_MAX_BYTES);
  const payload = parseStructure(VitalsSchema, readJson(raw));
  const issues: IngestIssue[] = [];
  const deviceTs = readTimestamp(payload.ts, context, issues);
  const measurements = normaliseAll(payload.measurements, issues);
  if (issues.length > 0) throw IngestError.fromIssues(capIssues(issues), { seq: payload.seq });
  const reading = context.clock?.observe(deviceTs, context.receivedAt) ?? { observedAt: deviceTs, skewMs: 0 };
  return {
    seq: payload.seq,
    deviceTs,
    observedAt: reading.observedAt,
    skewMs: reading.skewMs,
    ...(payload.rhythm === undefined ? {} : { rhythm: payload.rhythm }),
    measurements,
  };
}

function normaliseAll(items: readonly DeviceMeasurement[], issues: IngestIssue[]): Measurement[] {
  const seen = new Map<VitalCode, number>();
  const normalised: Measurement[] = [];
  const indexOf = new Map<Measurement, number>();
  items.forEach((item, i) => {
    const measurement = normaliseOne(item, i, issues);
    if (measurement === undefined) return;
    const first = seen.get(measurement.code);
    if (first !== undefined) {
      issues.push({ field: `measurements[${i}].code`, problem: `${measurement.code} already given in measurements[${first}]`, code: 'PAYLOAD_INVALID' });
      return;
    }
    seen.set(measurement.code, i);
    indexOf.set(measurement, i);
    normalised.push(measurement);
  });
  checkConsistency(normalised, indexOf, issues);
  return normalised;
}

function normaliseOne(item: DeviceMeasurement, i: number, issues: IngestIssue[]): Measurement | undefined {
  const code = resolveVitalCode(item.code);
  if (code === undefined) {
    issues.push({ field: `measurements[${i}].code`, problem: 'not a known code (see docs/MQTT.md for codes and aliases)', code: 'MEASUREMENT_UNKNOWN_CODE' });
    return undefined;
  }
  const canonical = toCanonicalUnit(code, item.value, item.unit);
  if (canonical === undefined) {
    issues.push({ field: `measurements[${i}].unit`, problem: `not accepted for ${code}; use ${acceptedUnits(code).join(', ')}`, code: 'MEASUREMENT_UNIT_INVALID' });
    return undefined;
  }
  const impossible = impossibility(code, canonical.value);
  if (impossible) {
    issues.push({ field: `measurements[${i}].value`, problem: impossible, code: 'MEASUREMENT_IMPOSSIBLE' });
    return undefined;
  }
  return { code, loinc: VITALS[code].loinc, value: canonical.value, unit: canonical.unit };
}

/** Why a value cannot be a real reading; the text names the limit, never the value. */
function impossibility(code: VitalCode, value: number): string | undefined {
  const { min, max, unit, integer } = VITALS[code];
  if (value < min) return `${code} below the possible minimum ${min} ${unit}`;
  if (value > max) return `${code} above the possible maximum ${max} ${unit}`;
  if (integer && !Number.isInteger(value)) return `${code} must be a whole number`;
  return undefined;
}

/** Pressures measured together must be ordered as a pressure wave is: DBP ≤ MAP ≤ SBP, DBP < SBP. */
function checkConsistency(measurements: readonly Measurement[], indexOf: ReadonlyMap<Measurement, number>, issues: IngestIssue[]): void {
  const find = (code: VitalCode) => measurements.find((m) => m.code === code);
  const [sbp, dbp, map] = [find('SBP'), find('DBP'), find('MAP')];
  const fail = (m: Measurement, problem: string) =>
    issues.push({ field: `measurements[${indexOf.get(m) ?? 0}].value`, problem, code: 'MEASUREMENT_IMPOSSIBLE' });
  if (sbp && dbp && !(sbp.value > dbp.value)) fail(sbp, 'SBP must be above DBP in the same sample');
  if (map && sbp && map.value > sbp.value) fail(map, 'MAP cannot be above SBP in the same sample');
  if (map && dbp && map.value < dbp.value) fail(map, 'MAP cannot be below DBP in the same sample');
}

import { z } from 'zod';
import { CloudError } from '../errors.js';
import type { AlertPayload } from '../wire/index.js';

const caseId = z.string().min(1).max(128);

/** docs/ENVELOPE.md "Payload contract"; the bundle itself is checked by the FHIR validator. */
const CaseBundlePayloadSchema = z.object({
  kind: z.literal('case-bundle'),
  caseId,
  bundle: z.record(z.string(), z.unknown()),
});

const AlertPayloadSchema = z.object({
  kind: z.literal('alert'),
  caseId,
  acuity: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]),
  latestVitals: z
    .array(z.object({ code: z.string().min(1).max(32), value: z.number(), unit: z.string().max(32), observedAt: z.number().int().min(0) }))
    .max(64),
  eta: z.number().int().min(0).nullable(),
});

export interface ParsedCaseBundle {
  caseId: string;
  bundle: unknown;
}

function parseJson<T>(schema: z.ZodType<T>, payload: Uint8Array): T {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
  } catch {
    throw new CloudError('PAYLOAD_INVALID', 'Payload is not UTF-8 JSON', { issues: [{ field: 'payload', problem: 'must be UTF-8 JSON' }] });
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => ({ field: issue.path.join('.') || 'payload', problem: issue.message }));
  throw new CloudError('PAYLOAD_INVALID', `Payload is invalid: ${issues.map((i) => i.field).join(', ')}`, { issues });
}

export function parseCaseBundlePayload(payload: Uint8Array): ParsedCaseBundle {
  return parseJson(CaseBundlePayloadSchema, payload);
}

export function parseAlertPayload(payload: Uint8Array): AlertPayload {
  return parseJson(AlertPayloadSchema, payload);
}

import type { z } from 'zod';
import { IngestError, capIssues, type IngestIssue } from '../errors.js';

export type RawPayload = Uint8Array | string;

const UTF8 = new TextDecoder('utf-8', { fatal: true });

export function payloadBytes(raw: RawPayload): number {
  return typeof raw === 'string' ? Buffer.byteLength(raw, 'utf8') : raw.byteLength;
}

export function assertPayloadSize(raw: RawPayload, maxBytes: number): void {
  const size = payloadBytes(raw);
  if (size > maxBytes) {
    throw new IngestError('PAYLOAD_TOO_LARGE', [
      { field: '(payload)', problem: `${size} bytes; this topic accepts at most ${maxBytes}`, code: 'PAYLOAD_TOO_LARGE' },
    ]);
  }
}

/**
 * Parses a JSON payload. The parser's own message is not passed on: it quotes the input,
 * which may hold patient data.
 */
export function readJson(raw: RawPayload): unknown {
  try {
    return JSON.parse(typeof raw === 'string' ? raw : UTF8.decode(raw));
  } catch (cause) {
    throw new IngestError(
      'PAYLOAD_MALFORMED_JSON',
      [{ field: '(payload)', problem: 'not valid UTF-8 JSON', code: 'PAYLOAD_MALFORMED_JSON' }],
      { cause },
    );
  }
}

/** Validates structure with zod, naming every bad field at once as PAYLOAD_INVALID. */
export function parseStructure<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues: IngestIssue[] = parsed.error.issues.map((issue) => ({
    field: fieldName(issue.path),
    problem: issue.message,
    code: 'PAYLOAD_INVALID',
  }));
  throw new IngestError('PAYLOAD_INVALID', capIssues(issues), { seq: readableSeq(value) });
}

/** 'measurements[2].value' style, as a firmware developer would write it. */
export function fieldName(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(payload)';
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`))
    .join('');
}

/** The seq of a message refused for other reasons, so the device learns which sample it was. */
export function readableSeq(value: unknown): number | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const seq = (value as { seq?: unknown }).seq;
  return typeof seq === 'number' && Number.isSafeInteger(seq) && seq >= 0 ? seq : undefined;
}

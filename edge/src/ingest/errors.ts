/**
 * Why a device message was refused. Devices and technicians' scripts match on `code`, so the
 * codes are stable; the integrator folds them into the central catalogue (edge/src/errors.ts).
 * Problems never carry measurement values: they name the parameter and the limit only.
 */
export const INGEST_ERROR_CODES = [
  'PAYLOAD_MALFORMED_JSON',
  'PAYLOAD_TOO_LARGE',
  'PAYLOAD_INVALID',
  'MEASUREMENT_UNKNOWN_CODE',
  'MEASUREMENT_UNIT_INVALID',
  'MEASUREMENT_IMPOSSIBLE',
  'TIMESTAMP_INVALID',
  'SEQ_STALE',
] as const;

export type IngestErrorCode = (typeof INGEST_ERROR_CODES)[number];

/** One refused field; `code` says which rule it broke (a rejection may break several). */
export interface IngestIssue {
  readonly field: string;
  readonly problem: string;
  readonly code: IngestErrorCode;
}

/** One line per code for the device's replies topic and the technician's log. */
export const INGEST_REASONS: Readonly<Record<IngestErrorCode, string>> = {
  PAYLOAD_MALFORMED_JSON: 'The payload is not valid UTF-8 JSON.',
  PAYLOAD_TOO_LARGE: 'The payload is larger than this topic accepts.',
  PAYLOAD_INVALID: 'Fields are missing or have the wrong type; see issues.',
  MEASUREMENT_UNKNOWN_CODE: 'A measurement code is not one this appliance knows; see issues.',
  MEASUREMENT_UNIT_INVALID: 'A measurement unit is not accepted for its code; see issues.',
  MEASUREMENT_IMPOSSIBLE: 'A measurement is outside the physiologically possible range; see issues.',
  TIMESTAMP_INVALID: 'The timestamp is unreadable or absurd (check the device clock); see issues.',
  SEQ_STALE: 'The sequence number is older than the replay window; the sample was not stored.',
};

/**
 * When a message breaks several rules, the error's code is the most fundamental one, so the
 * device fixes its framing before its clock and its clock before its readings.
 */
const PRECEDENCE: readonly IngestErrorCode[] = [
  'PAYLOAD_TOO_LARGE',
  'PAYLOAD_MALFORMED_JSON',
  'PAYLOAD_INVALID',
  'TIMESTAMP_INVALID',
  'MEASUREMENT_UNKNOWN_CODE',
  'MEASUREMENT_UNIT_INVALID',
  'MEASUREMENT_IMPOSSIBLE',
  'SEQ_STALE',
];

export class IngestError extends Error {
  readonly code: IngestErrorCode;
  readonly issues: readonly IngestIssue[];
  /** The message's seq when it could be read, so the reply can name the refused sample. */
  readonly seq: number | undefined;

  constructor(code: IngestErrorCode, issues: readonly IngestIssue[], options: { seq?: number; cause?: unknown } = {}) {
    super(summarise(code, issues), { cause: options.cause });
    this.name = 'IngestError';
    this.code = code;
    this.issues = issues;
    this.seq = options.seq;
  }

  /** Builds the error from collected issues; the code is the highest-precedence one among them. */
  static fromIssues(issues: readonly IngestIssue[], options: { seq?: number } = {}): IngestError {
    const code = PRECEDENCE.find((c) => issues.some((i) => i.code === c)) ?? 'PAYLOAD_INVALID';
    return new IngestError(code, issues, options);
  }
}

export function isIngestError(value: unknown): value is IngestError {
  return value instanceof IngestError;
}

/** Listing thousands of bad samples helps nobody and bloats the reply. */
export const MAX_LISTED_ISSUES = 20;

export function capIssues(issues: readonly IngestIssue[]): IngestIssue[] {
  if (issues.length <= MAX_LISTED_ISSUES) return [...issues];
  const kept = issues.slice(0, MAX_LISTED_ISSUES - 1);
  const last = issues[MAX_LISTED_ISSUES - 1] as IngestIssue;
  const more = issues.length - kept.length;
  return [...kept, { field: '(more)', problem: `${more} further problems not listed`, code: last.code }];
}

function summarise(code: IngestErrorCode, issues: readonly IngestIssue[]): string {
  const first = issues[0];
  const detail = first ? ` ${first.field}: ${first.problem}` + (issues.length > 1 ? ` (+${issues.length - 1} more)` : '') : '';
  return `${code}:${detail}`;
}

/**
 * The wire module's own error type: the cloud receiver never imports the edge, so the edge's
 * error catalogue cannot be used here. Codes are stable: the receiver answers with them and the
 * appliance decides from them whether a retry can help.
 */
export const WIRE_ERROR_CODES = [
  'ENVELOPE_MALFORMED',
  'ENVELOPE_VERSION_UNSUPPORTED',
  'ENVELOPE_TRUNCATED',
  'ENVELOPE_TOO_LARGE',
  'ENVELOPE_SIGNER_UNKNOWN',
  'ENVELOPE_SIGNATURE_INVALID',
  'ENVELOPE_DECRYPT_FAILED',
  'RECEIPT_MALFORMED',
  'RECEIPT_SIGNATURE_INVALID',
  'WIRE_KEY_INVALID',
  'WIRE_INPUT_INVALID',
] as const;

export type WireErrorCode = (typeof WIRE_ERROR_CODES)[number];

/** One problem with one named field; never carries the field's value (it may be PHI or a key). */
export interface WireIssue {
  field: string;
  problem: string;
}

export class WireError extends Error {
  readonly code: WireErrorCode;
  readonly issues: readonly WireIssue[];

  constructor(code: WireErrorCode, message: string, options: { issues?: readonly WireIssue[]; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'WireError';
    this.code = code;
    this.issues = options.issues ?? [];
  }
}

export function isWireError(value: unknown): value is WireError {
  return value instanceof WireError;
}

/** Throws one error naming every bad field at once, or returns when there are none. */
export function throwIfIssues(code: WireErrorCode, message: string, issues: readonly WireIssue[]): void {
  if (issues.length > 0) throw new WireError(code, message, { issues });
}

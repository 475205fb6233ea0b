import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';
import { isWireError, type SignedReceipt, type WireError } from './wire/index.js';

/**
 * The cloud's one error catalogue. The cloud never imports the edge, so it has its own; codes
 * that both sides share (ENVELOPE_*) are spelled as the wire module spells them. Every boundary
 * maps these in one place: HTTP (OperationOutcome + status, toOperationOutcome below), the CLI
 * (exit code + {"error": {...}}), and rejection receipts (the code only). Codes are stable:
 * appliances decide from them whether retrying can help.
 *
 * `issue` is the FHIR IssueType the OperationOutcome carries next to our own code.
 */
export const CLOUD_ERROR_CATALOGUE = {
  CONFIG_INVALID: { status: 500, exit: 78, issue: 'invalid' },
  USAGE: { status: 400, exit: 64, issue: 'invalid' },
  INPUT_INVALID: { status: 400, exit: 65, issue: 'invalid' },
  NOT_FOUND: { status: 404, exit: 66, issue: 'not-found' },
  CONFLICT: { status: 409, exit: 75, issue: 'conflict' },
  IDENTITY_INVALID: { status: 500, exit: 74, issue: 'exception' },
  DB_OPEN_FAILED: { status: 500, exit: 74, issue: 'exception' },
  DB_SCHEMA_TOO_NEW: { status: 500, exit: 74, issue: 'exception' },
  LISTEN_FAILED: { status: 500, exit: 69, issue: 'exception' },
  NOT_READY: { status: 503, exit: 69, issue: 'transient' },
  INTERNAL: { status: 500, exit: 70, issue: 'exception' },
  ENVELOPE_MALFORMED: { status: 400, exit: 65, issue: 'structure' },
  ENVELOPE_VERSION_UNSUPPORTED: { status: 400, exit: 65, issue: 'not-supported' },
  ENVELOPE_TRUNCATED: { status: 400, exit: 65, issue: 'incomplete' },
  ENVELOPE_TOO_LARGE: { status: 413, exit: 65, issue: 'too-long' },
  ENVELOPE_SIGNER_UNKNOWN: { status: 403, exit: 77, issue: 'security' },
  APPLIANCE_REVOKED: { status: 403, exit: 77, issue: 'forbidden' },
  ENVELOPE_SIGNATURE_INVALID: { status: 401, exit: 77, issue: 'security' },
  ENVELOPE_DECRYPT_FAILED: { status: 400, exit: 65, issue: 'security' },
  ENVELOPE_SEQUENCE_REUSED: { status: 409, exit: 75, issue: 'duplicate' },
  ENVELOPE_STALE: { status: 409, exit: 75, issue: 'duplicate' },
  PAYLOAD_INVALID: { status: 400, exit: 65, issue: 'invalid' },
  MEDIA_CHUNK_INVALID: { status: 400, exit: 65, issue: 'invalid' },
  MEDIA_CHECKSUM_MISMATCH: { status: 422, exit: 65, issue: 'invalid' },
  FHIR_INVALID: { status: 422, exit: 65, issue: 'invalid' },
  FHIR_CONFLICT: { status: 409, exit: 75, issue: 'conflict' },
  FHIR_NOT_FOUND: { status: 404, exit: 66, issue: 'not-found' },
  FHIR_SEARCH_UNSUPPORTED: { status: 400, exit: 65, issue: 'not-supported' },
  FHIR_UNAUTHORIZED: { status: 401, exit: 77, issue: 'login' },
  FHIR_UPSTREAM_FAILED: { status: 502, exit: 69, issue: 'transient' },
} as const satisfies Record<string, { status: number; exit: number; issue: OperationOutcomeIssue['code'] }>;

export type CloudErrorCode = keyof typeof CLOUD_ERROR_CATALOGUE;

/** Where OperationOutcome.issue[].details.coding[0] says which of our codes it is. */
export const CLOUD_ERROR_SYSTEM = 'https://hema3n.dev/cloud/error-codes';

/** One problem with one named field (a setting, an argument, a FHIR element path); never the field's value. */
export interface CloudIssue {
  field: string;
  problem: string;
}

export class CloudError extends Error {
  readonly code: CloudErrorCode;
  readonly issues: readonly CloudIssue[];
  /** A signed rejection receipt, for an envelope that was authentic but refused. */
  readonly receipt: SignedReceipt | undefined;

  constructor(code: CloudErrorCode, message: string, options: { issues?: readonly CloudIssue[]; cause?: unknown; receipt?: SignedReceipt } = {}) {
    super(message, { cause: options.cause });
    this.name = 'CloudError';
    this.code = code;
    this.issues = options.issues ?? [];
    this.receipt = options.receipt;
  }

  get status(): number {
    return CLOUD_ERROR_CATALOGUE[this.code].status;
  }

  get exitCode(): number {
    return CLOUD_ERROR_CATALOGUE[this.code].exit;
  }

  /** The same error, now carrying the signed receipt that tells the appliance it was refused. */
  withReceipt(receipt: SignedReceipt): CloudError {
    return new CloudError(this.code, this.message, { issues: this.issues, cause: this.cause, receipt });
  }
}

export function isCloudError(value: unknown): value is CloudError {
  return value instanceof CloudError;
}

/** Wire codes the cloud passes on as they are; the rest (receipt and input checks) are our bugs. */
const PASSED_WIRE_CODES = new Set<string>([
  'ENVELOPE_MALFORMED', 'ENVELOPE_VERSION_UNSUPPORTED', 'ENVELOPE_TRUNCATED', 'ENVELOPE_TOO_LARGE',
  'ENVELOPE_SIGNER_UNKNOWN', 'ENVELOPE_SIGNATURE_INVALID', 'ENVELOPE_DECRYPT_FAILED',
]);

function fromWireError(error: WireError): CloudError {
  if (PASSED_WIRE_CODES.has(error.code)) return new CloudError(error.code as CloudErrorCode, error.message, { issues: error.issues, cause: error });
  return new CloudError('INTERNAL', 'Internal error', { cause: error });
}

/** Anything thrown that is not ours becomes INTERNAL; its message is dropped (it may echo PHI). */
export function toCloudError(value: unknown): CloudError {
  if (isCloudError(value)) return value;
  if (isWireError(value)) return fromWireError(value);
  return new CloudError('INTERNAL', 'Internal error', { cause: value });
}

/** The HTTP form of every error: a FHIR OperationOutcome whose issues carry our code. Internal errors say nothing more. */
export function toOperationOutcome(error: CloudError): OperationOutcome {
  const type = CLOUD_ERROR_CATALOGUE[error.code].issue;
  const details = { coding: [{ system: CLOUD_ERROR_SYSTEM, code: error.code }], text: error.message };
  if (error.status >= 500 && error.code !== 'FHIR_UPSTREAM_FAILED' && error.code !== 'NOT_READY') {
    return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: type, details: { coding: details.coding, text: 'Internal error' } }] };
  }
  const issues: OperationOutcomeIssue[] =
    error.issues.length === 0
      ? [{ severity: 'error', code: type, details, diagnostics: error.message }]
      : error.issues.map((issue) => ({ severity: 'error', code: type, details, diagnostics: issue.problem, expression: [issue.field] }));
  return { resourceType: 'OperationOutcome', issue: issues };
}

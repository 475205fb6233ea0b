import { Hema3nError, type FieldIssue } from '../errors.js';

/** The codes of refused model and adapter packages (statuses, exit codes and fixes: ../errors.ts). */
export type InferenceErrorCode =
  | 'MODEL_PACKAGE_INVALID'
  | 'MODEL_SIGNATURE_INVALID'
  | 'MODEL_INTEGRITY_FAILED'
  | 'MODEL_CONTRACT_MISMATCH'
  | 'ADAPTER_NOT_FOUND'
  | 'ADAPTER_SIGNATURE_INVALID'
  | 'ADAPTER_BASE_MISMATCH'
  | 'ADAPTER_SHAPE_INVALID'
  | 'ADAPTER_CORRUPT';

/**
 * A refused package or an unknown adapter. A refused package never replaces the one already
 * serving. Messages name files, fields and key ids, never patient data.
 */
export class InferenceError extends Hema3nError {
  declare readonly code: InferenceErrorCode;

  constructor(code: InferenceErrorCode, message: string, options: { issues?: readonly FieldIssue[]; cause?: unknown } = {}) {
    super(code, message, options);
    this.name = 'InferenceError';
  }
}

export function isInferenceError(value: unknown): value is InferenceError {
  return value instanceof InferenceError;
}

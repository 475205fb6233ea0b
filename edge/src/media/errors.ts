import { Hema3nError, type ErrorCode, type FieldIssue } from '../errors.js';

/** The codes a refused file or transfer carries; each is an entry of ERROR_CATALOGUE (status, exit code, fix). */
export const MEDIA_ERROR_CODES = [
  'MEDIA_EMPTY',
  'MEDIA_TOO_LARGE',
  'MEDIA_TRUNCATED',
  'MEDIA_TYPE_MISMATCH',
  'MEDIA_UNSUPPORTED_TYPE',
  'MEDIA_PIXEL_LIMIT',
  'MEDIA_DIMENSIONS_INVALID',
  'MEDIA_MALFORMED',
  'AUDIO_TOO_LONG',
  'AUDIO_HEADER_INVALID',
  'AUDIO_FORMAT_UNSUPPORTED',
  'AUDIO_SILENT',
  'MEDIA_MANIFEST_INVALID',
  'MEDIA_CHUNK_INVALID',
  'MEDIA_TRANSFER_UNKNOWN',
  'MEDIA_TRANSFER_BUSY',
  'MEDIA_REASSEMBLY_TIMEOUT',
  'MEDIA_CHECKSUM_MISMATCH',
  'MEDIA_NO_ACTIVE_CASE',
] as const satisfies readonly ErrorCode[];

export type MediaErrorCode = (typeof MEDIA_ERROR_CODES)[number];

/**
 * A refused file or transfer. It is a Hema3nError, so every boundary renders it from the one
 * catalogue (problem JSON, CLI exit code, device reply). Messages name the problem, never the
 * content (it may be PHI).
 */
export class MediaError extends Hema3nError {
  declare readonly code: MediaErrorCode;

  constructor(code: MediaErrorCode, message: string, options: { issues?: readonly FieldIssue[]; cause?: unknown } = {}) {
    super(code, message, options);
    this.name = 'MediaError';
  }
}

export function isMediaError(value: unknown): value is MediaError {
  return value instanceof MediaError;
}

import type { FieldIssue } from '../errors.js';

/**
 * Codes for refused media. They are meant to be folded into ERROR_CATALOGUE in ../errors.ts by the
 * integrator (statuses and fixes below are the proposal); until then processing throws MediaError,
 * which carries the same stable code so boundaries can already match on it.
 */
export const MEDIA_ERROR_CATALOGUE = {
  MEDIA_EMPTY: { status: 400, fix: 'The file is empty; capture or record again and resend.' },
  MEDIA_TOO_LARGE: { status: 413, fix: 'Send a smaller file (see docs/MEDIA.md for the size limits).' },
  MEDIA_TRUNCATED: { status: 422, fix: 'The file ends early; resend the complete file.' },
  MEDIA_TYPE_MISMATCH: { status: 400, fix: 'Declare the content type that matches the file (the message names what the content is).' },
  MEDIA_UNSUPPORTED_TYPE: { status: 400, fix: 'Send JPEG, PNG, WebP or HEIF/AVIF images and WAV audio.' },
  MEDIA_PIXEL_LIMIT: { status: 413, fix: 'The image has too many pixels; send a smaller resolution.' },
  MEDIA_DIMENSIONS_INVALID: { status: 422, fix: 'The image is too small or too elongated to be a photo; capture it again.' },
  MEDIA_MALFORMED: { status: 422, fix: 'The file cannot be decoded; capture or record again and resend.' },
  AUDIO_TOO_LONG: { status: 413, fix: 'Split the recording into shorter parts (see docs/MEDIA.md for the length limit).' },
  AUDIO_HEADER_INVALID: { status: 422, fix: 'The WAV header contradicts the file (length or format fields); record again.' },
  AUDIO_FORMAT_UNSUPPORTED: { status: 400, fix: 'Send PCM 8/16/24/32-bit or float 32-bit WAV, mono or stereo, at a common sample rate.' },
  AUDIO_SILENT: { status: 422, fix: 'The recording holds only silence; check the microphone and record again.' },
  MEDIA_MANIFEST_INVALID: { status: 400, fix: 'Correct the named manifest fields and start the transfer again.' },
  MEDIA_CHUNK_INVALID: { status: 400, fix: 'Send chunks with an index inside the manifest and the same bytes on every resend.' },
  MEDIA_TRANSFER_UNKNOWN: { status: 404, fix: 'Send the manifest first (or again after a restart), then the chunks.' },
  MEDIA_TRANSFER_BUSY: { status: 503, fix: 'Too many transfers in flight; retry after the current ones finish.' },
  MEDIA_REASSEMBLY_TIMEOUT: { status: 408, fix: 'The transfer stalled and was dropped; send the manifest and all chunks again.' },
  MEDIA_CHECKSUM_MISMATCH: { status: 422, fix: 'The reassembled bytes differ from the manifest (size or sha256); send the file again.' },
} as const satisfies Record<string, { status: number; fix: string }>;

export type MediaErrorCode = keyof typeof MEDIA_ERROR_CATALOGUE;

/** A refused file or transfer. Messages name the problem, never the content (it may be PHI). */
export class MediaError extends Error {
  readonly code: MediaErrorCode;
  readonly issues: readonly FieldIssue[];

  constructor(code: MediaErrorCode, message: string, options: { issues?: readonly FieldIssue[]; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'MediaError';
    this.code = code;
    this.issues = options.issues ?? [];
  }

  get status(): number {
    return MEDIA_ERROR_CATALOGUE[this.code].status;
  }

  get fix(): string {
    return MEDIA_ERROR_CATALOGUE[this.code].fix;
  }
}

export function isMediaError(value: unknown): value is MediaError {
  return value instanceof MediaError;
}

/**
 * Default size limits. A multi-MB case bundle fits comfortably; media travels as 'media-chunk'
 * envelopes well below the limit. The envelope limit leaves room for the framing of the largest
 * payload even at the smallest chunk size (17 bytes per 1 KiB chunk = 544 KiB, plus < 1 KiB of
 * header, key, stream header and signature).
 */
export const DEFAULT_MAX_PAYLOAD_BYTES = 32 * 1024 * 1024;
export const DEFAULT_MAX_ENVELOPE_BYTES = 33 * 1024 * 1024;

export interface SizeLimits {
  /** Largest envelope accepted, in bytes. Default DEFAULT_MAX_ENVELOPE_BYTES. */
  maxEnvelopeBytes?: number;
  /** Largest payload (before compression) accepted, in bytes. Default DEFAULT_MAX_PAYLOAD_BYTES. */
  maxPayloadBytes?: number;
}

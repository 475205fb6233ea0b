import { compressPayload, defaultCompression } from './compression.js';
import { WireError, throwIfIssues, type WireIssue } from './errors.js';
import { SIGNATURE_BYTES, chosenFieldIssues, encodeHeader, integerIssues, type Compression, type PayloadKind } from './format.js';
import { decodeKey } from './keys.js';
import { DEFAULT_MAX_PAYLOAD_BYTES } from './limits.js';
import { readySodium } from './sodium.js';
import { DEFAULT_CHUNK_BYTES, ciphertextBytesFor, encryptChunks } from './stream-cipher.js';

export interface SealEnvelopeInput {
  payload: Uint8Array;
  kind: PayloadKind;
  /** Default: 'application/fhir+json' for case bundles, 'application/json' for alerts and receipts, 'application/octet-stream' for media. */
  contentType?: string;
  applianceId: string;
  /** Per appliance, starting at 1, strictly increasing. */
  sequence: number;
  /** Milliseconds since the epoch. */
  createdAt: number;
  /** The appliance's Ed25519 secret key (64 bytes, URL-safe base64). */
  signSecretKey: string;
  /** The cloud's X25519 public key (32 bytes, URL-safe base64). */
  recipientBoxPublicKey: string;
  /** Default 'none' for media chunks, 'brotli' otherwise; a payload brotli cannot shrink is sent raw. */
  compression?: Compression;
  /** Plaintext bytes per secretstream message, 1 KiB to 1 MiB. Default 64 KiB. */
  chunkBytes?: number;
  /** Default DEFAULT_MAX_PAYLOAD_BYTES; keep it at or below the receiver's limit. */
  maxPayloadBytes?: number;
}

const DEFAULT_CONTENT_TYPES: Record<PayloadKind, string> = {
  'case-bundle': 'application/fhir+json',
  alert: 'application/json',
  'media-chunk': 'application/octet-stream',
  receipt: 'application/json',
};

type ResolvedInput = Required<Omit<SealEnvelopeInput, 'signSecretKey' | 'recipientBoxPublicKey'>>;

function resolve(input: SealEnvelopeInput): ResolvedInput {
  const resolved = {
    ...input,
    // An unknown kind is reported on its own, not again as a missing content type.
    contentType: input.contentType ?? DEFAULT_CONTENT_TYPES[input.kind] ?? DEFAULT_CONTENT_TYPES['media-chunk'],
    compression: input.compression ?? defaultCompression(input.kind),
    chunkBytes: input.chunkBytes ?? DEFAULT_CHUNK_BYTES,
    maxPayloadBytes: input.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES,
  };
  const issues: WireIssue[] = [
    ...(resolved.payload instanceof Uint8Array ? [] : [{ field: 'payload', problem: 'must be a Uint8Array' }]),
    ...chosenFieldIssues(resolved),
    ...integerIssues(resolved.maxPayloadBytes, 'maxPayloadBytes', 0),
  ];
  throwIfIssues('WIRE_INPUT_INVALID', 'Envelope input is invalid', issues);
  return resolved;
}

/**
 * Compress, encrypt under a fresh stream key sealed to the cloud, then sign everything with the
 * appliance's key. The result is self-contained: header, sealed key, ciphertext, signature.
 */
export async function sealEnvelope(input: SealEnvelopeInput): Promise<Uint8Array> {
  const resolved = resolve(input);
  if (resolved.payload.length > resolved.maxPayloadBytes) {
    throw new WireError('ENVELOPE_TOO_LARGE', `Payload of ${resolved.payload.length} bytes exceeds the limit of ${resolved.maxPayloadBytes}`);
  }
  const signSecretKey = decodeKey(input.signSecretKey, 'signSecretKey', 'signSecretKey');
  const recipientPublicKey = decodeKey(input.recipientBoxPublicKey, 'boxPublicKey', 'recipientBoxPublicKey');
  const sodium = await readySodium();
  const compressed = await compressPayload(resolved.payload, resolved.compression);
  const header = encodeHeader({
    ...resolved,
    compression: compressed.compression,
    payloadBytes: resolved.payload.length,
    ciphertextBytes: ciphertextBytesFor(sodium, compressed.bytes.length, resolved.chunkBytes),
  });
  const streamKey = sodium.crypto_secretstream_xchacha20poly1305_keygen();
  try {
    const sealedKey = sodium.crypto_box_seal(streamKey, recipientPublicKey);
    const { streamHeader, ciphertext } = encryptChunks(sodium, streamKey, compressed.bytes, resolved.chunkBytes, header);
    const envelope = assemble([header, sealedKey, streamHeader, ciphertext], SIGNATURE_BYTES);
    const signedBytes = envelope.length - SIGNATURE_BYTES;
    envelope.set(sodium.crypto_sign_detached(envelope.subarray(0, signedBytes), signSecretKey), signedBytes);
    return envelope;
  } finally {
    sodium.memzero(streamKey);
    sodium.memzero(signSecretKey);
  }
}

/** One allocation for the whole envelope, with room left at the end for the signature. */
function assemble(parts: Uint8Array[], trailingBytes: number): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, trailingBytes));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

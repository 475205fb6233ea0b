import { decompressPayload } from './compression.js';
import { WireError } from './errors.js';
import { SEALED_KEY_BYTES, SIGNATURE_BYTES, STREAM_HEADER_BYTES, parseFrame, type EnvelopeFrame, type EnvelopeHeader } from './format.js';
import { decodeKey, type BoxKeyPair } from './keys.js';
import { DEFAULT_MAX_ENVELOPE_BYTES, DEFAULT_MAX_PAYLOAD_BYTES, type SizeLimits } from './limits.js';
import { readySodium, type SodiumApi } from './sodium.js';
import { decryptChunks } from './stream-cipher.js';

export interface OpenEnvelopeOptions extends SizeLimits {
  /** The appliance's Ed25519 public key (URL-safe base64), or undefined when the appliance is not known. */
  verifyKeyFor(applianceId: string): string | undefined | Promise<string | undefined>;
  /** The cloud's X25519 key pair the stream key was sealed to. */
  recipientBoxKeyPair: BoxKeyPair;
}

export interface OpenedEnvelope {
  header: EnvelopeHeader;
  payload: Uint8Array;
}

function checkEnvelopeSize(bytes: Uint8Array, limits: SizeLimits): void {
  if (!(bytes instanceof Uint8Array)) {
    throw new WireError('WIRE_INPUT_INVALID', 'Envelope must be given as bytes', { issues: [{ field: 'envelope', problem: 'must be a Uint8Array (a Buffer is one)' }] });
  }
  const maxEnvelopeBytes = limits.maxEnvelopeBytes ?? DEFAULT_MAX_ENVELOPE_BYTES;
  if (bytes.length > maxEnvelopeBytes) {
    throw new WireError('ENVELOPE_TOO_LARGE', `Envelope of ${bytes.length} bytes exceeds the limit of ${maxEnvelopeBytes}`);
  }
}

function checkPayloadSize(header: EnvelopeHeader, limits: SizeLimits): void {
  const maxPayloadBytes = limits.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  if (header.payloadBytes > maxPayloadBytes) {
    throw new WireError('ENVELOPE_TOO_LARGE', `Envelope payload of ${header.payloadBytes} bytes exceeds the limit of ${maxPayloadBytes}`);
  }
}

/**
 * Parses the header without verifying it, so a receiver can look up the signer (or refuse an
 * unknown appliance, a replay or an oversized upload) before doing any cryptography. Only the
 * header has to be present. Nothing returned is authentic until openEnvelope succeeds.
 */
export function readEnvelopeHeader(bytes: Uint8Array, limits: SizeLimits = {}): EnvelopeHeader {
  checkEnvelopeSize(bytes, limits);
  const { header } = parseFrame(bytes);
  checkPayloadSize(header, limits);
  return header;
}

/** The whole envelope must be there, and nothing after it. */
function checkLength(bytes: Uint8Array, frame: EnvelopeFrame): void {
  if (bytes.length < frame.header.envelopeBytes) throw new WireError('ENVELOPE_TRUNCATED', 'Envelope is shorter than its header states');
  if (bytes.length > frame.header.envelopeBytes) throw new WireError('ENVELOPE_MALFORMED', 'Envelope has bytes after its signature');
}

async function verifySignature(sodium: SodiumApi, bytes: Uint8Array, applianceId: string, options: OpenEnvelopeOptions): Promise<void> {
  const verifyKey = await options.verifyKeyFor(applianceId);
  if (verifyKey === undefined) throw new WireError('ENVELOPE_SIGNER_UNKNOWN', 'Envelope comes from an appliance this receiver does not know');
  const publicKey = decodeKey(verifyKey, 'signPublicKey', 'verifyKeyFor(applianceId)');
  const signedBytes = bytes.length - SIGNATURE_BYTES;
  if (!sodium.crypto_sign_verify_detached(bytes.subarray(signedBytes), bytes.subarray(0, signedBytes), publicKey)) {
    throw new WireError('ENVELOPE_SIGNATURE_INVALID', 'Envelope signature does not verify with the appliance key');
  }
}

function openStreamKey(sodium: SodiumApi, sealedKey: Uint8Array, keyPair: BoxKeyPair): Uint8Array {
  const publicKey = decodeKey(keyPair.publicKey, 'boxPublicKey', 'recipientBoxKeyPair.publicKey');
  const secretKey = decodeKey(keyPair.secretKey, 'boxSecretKey', 'recipientBoxKeyPair.secretKey');
  try {
    return sodium.crypto_box_seal_open(sealedKey, publicKey, secretKey);
  } catch (error) {
    throw new WireError('ENVELOPE_DECRYPT_FAILED', 'Envelope stream key was not sealed to this receiver key', { cause: error });
  } finally {
    sodium.memzero(secretKey);
  }
}

/**
 * Checks size, format and length, verifies the appliance's signature over everything before it,
 * then unseals the stream key, decrypts every chunk (header bound as associated data) and
 * decompresses. Replay checks are the caller's (see ReplayGuard).
 */
export async function openEnvelope(bytes: Uint8Array, options: OpenEnvelopeOptions): Promise<OpenedEnvelope> {
  checkEnvelopeSize(bytes, options);
  const frame = parseFrame(bytes);
  checkPayloadSize(frame.header, options);
  checkLength(bytes, frame);
  const sodium = await readySodium();
  await verifySignature(sodium, bytes, frame.header.applianceId, options);
  const keyStart = frame.headerBytes;
  const streamStart = keyStart + SEALED_KEY_BYTES;
  const cipherStart = streamStart + STREAM_HEADER_BYTES;
  const streamKey = openStreamKey(sodium, bytes.subarray(keyStart, streamStart), options.recipientBoxKeyPair);
  try {
    const header = bytes.subarray(0, frame.headerBytes);
    const ciphertext = bytes.subarray(cipherStart, cipherStart + frame.ciphertextBytes);
    const compressed = decryptChunks(sodium, streamKey, bytes.subarray(streamStart, cipherStart), ciphertext, frame.chunkBytes, header);
    return { header: frame.header, payload: await decompressPayload(compressed, frame.header.compression, frame.header.payloadBytes) };
  } finally {
    sodium.memzero(streamKey);
  }
}

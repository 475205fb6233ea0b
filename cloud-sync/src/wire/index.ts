/**
 * @hema3n/cloud-sync/wire: the envelope codec shared by the appliance (edge) and the cloud
 * receiver. Pure: libsodium and node:zlib / node:crypto only, no transport, no storage.
 * docs/ENVELOPE.md describes the byte layout, the cryptography and the error codes.
 */
import { readySodium } from './sodium.js';

export { sealEnvelope, type SealEnvelopeInput } from './seal.js';
export { openEnvelope, readEnvelopeHeader, type OpenEnvelopeOptions, type OpenedEnvelope } from './open.js';
export {
  ENVELOPE_FORMAT_VERSION,
  ENVELOPE_MAGIC,
  PAYLOAD_KINDS,
  COMPRESSIONS,
  MIN_CHUNK_BYTES,
  MAX_CHUNK_BYTES,
  type EnvelopeHeader,
  type PayloadKind,
  type Compression,
} from './format.js';
export { DEFAULT_CHUNK_BYTES } from './stream-cipher.js';
export { DEFAULT_MAX_ENVELOPE_BYTES, DEFAULT_MAX_PAYLOAD_BYTES, type SizeLimits } from './limits.js';
export { generateSigningKeyPair, generateBoxKeyPair, KEY_BYTES, encodeBase64Url, decodeBase64Url, type SigningKeyPair, type BoxKeyPair } from './keys.js';
export { envelopeSha256 } from './digest.js';
export { signReceipt, verifyReceipt, RECEIPT_SIGNING_CONTEXT, type Receipt, type ReceiptOutcome, type SignedReceipt } from './receipt.js';
export { canonicalJson, type JsonValue } from './canonical-json.js';
export { ReplayGuard, INITIAL_REPLAY_STATE, DEFAULT_REPLAY_WINDOW, type ReplayState, type ReplayVerdict } from './replay.js';
export { WireError, isWireError, WIRE_ERROR_CODES, type WireErrorCode, type WireIssue } from './errors.js';
export type { CaseBundlePayload, AlertPayload, AlertVital, Acuity, JsonPayload } from './contract.js';
export { ETA_EXTENSION_URL } from './contract.js';

/** Loads libsodium's WebAssembly; every async function here awaits it, but a benchmark calls it first to keep the load out of its timings. */
export async function readyWire(): Promise<void> {
  await readySodium();
}

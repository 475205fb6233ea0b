import { createHash } from 'node:crypto';
import { canonicalJson, decodeBase64Url, encodeBase64Url, KEY_BYTES, type JsonValue } from '@hema3n/cloud-sync/wire';
import { Hema3nError } from '../errors.js';
import { InferenceError, type InferenceErrorCode } from './errors.js';
import { readySodium } from '../keys/index.js';

/**
 * Fleet signatures over model and adapter packages. The signed bytes are a context line plus the
 * canonical JSON of the package document (manifest.json or adapter.json) without its `signature`
 * field; the document holds the sha256 of every other file, so the signature covers the weights.
 * The context line keeps a signature over one kind of document from passing for the other.
 */
export const SIGNING_CONTEXTS = {
  model: 'hema3n-model-package-v1\n',
  adapter: 'hema3n-lora-adapter-v1\n',
} as const;

export type SignedKind = keyof typeof SIGNING_CONTEXTS;

export interface PackageSignature {
  readonly algorithm: 'Ed25519';
  /** keyIdOf(public key): names the key in refusals without printing it. */
  readonly keyId: string;
  /** 64-byte detached signature, URL-safe base64 without padding. */
  readonly value: string;
}

export interface FleetPublicKey {
  readonly bytes: Uint8Array;
  readonly keyId: string;
}

const INVALID_CODE: Record<SignedKind, InferenceErrorCode> = { model: 'MODEL_SIGNATURE_INVALID', adapter: 'ADAPTER_SIGNATURE_INVALID' };

/** First 16 hex characters of sha256(public key). */
export const keyIdOf = (publicKey: Uint8Array): string => createHash('sha256').update(publicKey).digest('hex').slice(0, 16);


/** The fleet key from configuration; a malformed one is a configuration fault, named by its setting. */
export function parseFleetPublicKey(text: string, field = 'HEMA3N_FLEET_PUBLIC_KEY'): FleetPublicKey {
  const bytes = decodeBase64Url(text.trim());
  if (bytes === undefined || bytes.length !== KEY_BYTES.signPublicKey) {
    throw new Hema3nError('CONFIG_INVALID', 'The fleet public key is not an Ed25519 public key', {
      issues: [{ field, problem: `expected ${KEY_BYTES.signPublicKey} bytes as URL-safe base64 without padding` }],
    });
  }
  return { bytes, keyId: keyIdOf(bytes) };
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function signingBytes(kind: SignedKind, document: Record<string, unknown>): Uint8Array {
  const { signature: _signature, ...unsigned } = document;
  return new TextEncoder().encode(SIGNING_CONTEXTS[kind] + canonicalJson(unsigned as JsonValue));
}

function signatureOf(kind: SignedKind, document: Record<string, unknown>): { keyId: string; bytes: Uint8Array } {
  const signature = document.signature;
  if (signature === undefined) throw new InferenceError(INVALID_CODE[kind], `The ${kind} package is not signed`, { issues: [{ field: 'signature', problem: 'is missing' }] });
  const bytes = isRecord(signature) && typeof signature.value === 'string' ? decodeBase64Url(signature.value) : undefined;
  if (!isRecord(signature) || signature.algorithm !== 'Ed25519' || typeof signature.keyId !== 'string' || bytes?.length !== 64) {
    throw new InferenceError(INVALID_CODE[kind], `The ${kind} package signature is malformed`, {
      issues: [{ field: 'signature', problem: 'must be {algorithm: "Ed25519", keyId, value: 64-byte URL-safe base64}' }],
    });
  }
  return { keyId: signature.keyId, bytes };
}

/** Throws *_SIGNATURE_INVALID unless `document` carries a signature by the fleet key over its other fields. */
export async function verifyPackageSignature(kind: SignedKind, document: unknown, fleetKey: FleetPublicKey): Promise<void> {
  if (!isRecord(document)) throw new InferenceError(INVALID_CODE[kind], `The ${kind} package document is not a JSON object`);
  const { keyId, bytes } = signatureOf(kind, document);
  const sodium = await readySodium();
  if (sodium.crypto_sign_verify_detached(bytes, signingBytes(kind, document), fleetKey.bytes)) return;
  const why = keyId === fleetKey.keyId
    ? 'the package was altered after it was signed'
    : `it names signing key ${keyId}, this appliance trusts fleet key ${fleetKey.keyId}`;
  throw new InferenceError(INVALID_CODE[kind], `The ${kind} package signature does not verify with the fleet key: ${why}`);
}

/** For packaging tools (never the appliance): returns the document with a fresh `signature`. */
export async function signPackageDocument<T extends Record<string, unknown>>(kind: SignedKind, document: T, secretKey: string): Promise<T & { signature: PackageSignature }> {
  const secret = decodeBase64Url(secretKey.trim());
  if (secret?.length !== KEY_BYTES.signSecretKey) throw new Error(`the signing key must be ${KEY_BYTES.signSecretKey} bytes of URL-safe base64`);
  const sodium = await readySodium();
  try {
    const value = encodeBase64Url(sodium.crypto_sign_detached(signingBytes(kind, document), secret));
    const publicKey = sodium.crypto_sign_ed25519_sk_to_pk(secret);
    const { signature: _old, ...unsigned } = document;
    return { ...(unsigned as T), signature: { algorithm: 'Ed25519', keyId: keyIdOf(publicKey), value } };
  } finally {
    sodium.memzero(secret);
  }
}

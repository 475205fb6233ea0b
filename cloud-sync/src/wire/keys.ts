import { WireError } from './errors.js';
import { readySodium } from './sodium.js';

/**
 * Every key crosses process and file boundaries as URL-safe base64 without padding (RFC 4648 §5):
 * it survives URLs, environment variables, JSON and file names unchanged, so a key printed by one
 * CLI is accepted as-is by another. Only the canonical spelling is accepted.
 */
export interface SigningKeyPair {
  /** Ed25519 public key, 32 bytes. */
  publicKey: string;
  /** Ed25519 secret key as libsodium stores it (seed + public key), 64 bytes. */
  secretKey: string;
}

export interface BoxKeyPair {
  /** X25519 public key, 32 bytes. */
  publicKey: string;
  /** X25519 secret key, 32 bytes. */
  secretKey: string;
}

export const KEY_BYTES = {
  signPublicKey: 32,
  signSecretKey: 64,
  boxPublicKey: 32,
  boxSecretKey: 32,
} as const;

type KeyRole = keyof typeof KEY_BYTES;

export function encodeBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

/** Strict decoding: Buffer's own decoder silently skips characters it does not know. */
export function decodeBase64Url(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  const bytes = new Uint8Array(Buffer.from(text, 'base64url'));
  return encodeBase64Url(bytes) === text ? bytes : undefined;
}

/** Surrounding whitespace is forgiven (a key read from a file ends in a newline); the key itself never appears in the error. */
export function decodeKey(text: unknown, role: KeyRole, field: string): Uint8Array {
  const bytes = typeof text === 'string' ? decodeBase64Url(text.trim()) : undefined;
  if (bytes === undefined || bytes.length !== KEY_BYTES[role]) {
    throw new WireError('WIRE_KEY_INVALID', `${field} is not a ${KEY_BYTES[role]}-byte key in URL-safe base64 without padding`, {
      issues: [{ field, problem: `expected ${KEY_BYTES[role]} bytes as URL-safe base64 without padding` }],
    });
  }
  return bytes;
}

/** The appliance's identity key: it signs envelopes; the cloud keeps the public half per appliance. */
export async function generateSigningKeyPair(): Promise<SigningKeyPair> {
  const sodium = await readySodium();
  const pair = sodium.crypto_sign_keypair();
  return { publicKey: encodeBase64Url(pair.publicKey), secretKey: encodeBase64Url(pair.privateKey) };
}

/** The cloud's receiving key: envelopes' stream keys are sealed to its public half. */
export async function generateBoxKeyPair(): Promise<BoxKeyPair> {
  const sodium = await readySodium();
  const pair = sodium.crypto_box_keypair();
  return { publicKey: encodeBase64Url(pair.publicKey), secretKey: encodeBase64Url(pair.privateKey) };
}

import { randomBytes } from 'node:crypto';
import { readySodium } from './sodium.js';

/**
 * Argon2id cost per kind of secret. Device secrets are 256 random bits, so the hash only has
 * to make a stolen database useless, not slow down guessing: a light setting keeps CONNECT fast
 * (libsodium runs in WebAssembly on the event loop). Crew PINs are guessable, so they get the
 * interactive setting.
 */
const COST = {
  deviceSecret: { ops: 1, memBytes: 8 * 1024 * 1024 },
  crewPin: { ops: 2, memBytes: 64 * 1024 * 1024 },
} as const;

export type SecretKind = keyof typeof COST;

export async function hashSecret(secret: string, kind: SecretKind): Promise<string> {
  const sodium = await readySodium();
  return sodium.crypto_pwhash_str(secret, COST[kind].ops, COST[kind].memBytes);
}

export async function verifySecret(hash: string, secret: string): Promise<boolean> {
  const sodium = await readySodium();
  try {
    return sodium.crypto_pwhash_str_verify(hash, secret);
  } catch {
    return false;
  }
}

/** A device secret as shown once to the technician: 32 random bytes, URL-safe base64. */
export function newDeviceSecret(): string {
  return randomBytes(32).toString('base64url');
}

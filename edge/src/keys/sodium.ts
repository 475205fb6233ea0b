import { createRequire } from 'node:module';
import type Sodium from 'libsodium-wrappers-sumo';

/**
 * libsodium-wrappers-sumo's ESM build imports a file its package does not ship, so the
 * CommonJS build is loaded instead. The sumo build is the one with crypto_pwhash (Argon2id).
 */
const sodium = createRequire(import.meta.url)('libsodium-wrappers-sumo') as typeof Sodium;

export async function readySodium(): Promise<typeof Sodium> {
  await sodium.ready;
  return sodium;
}

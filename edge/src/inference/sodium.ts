import { createRequire } from 'node:module';
import type Sodium from 'libsodium-wrappers-sumo';

// The package's ESM build imports a file it does not ship, so the CommonJS build is loaded (as keys/sodium.ts does).
const sodium = createRequire(import.meta.url)('libsodium-wrappers-sumo') as typeof Sodium;

export async function readySodium(): Promise<typeof Sodium> {
  await sodium.ready;
  return sodium;
}

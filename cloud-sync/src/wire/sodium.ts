import { createRequire } from 'node:module';
import type Sodium from 'libsodium-wrappers-sumo';
import type { StateAddress } from 'libsodium-wrappers-sumo';

export type SodiumApi = typeof Sodium;
export type StreamState = StateAddress;

/**
 * libsodium-wrappers-sumo 0.7.16's ESM build imports a file its package does not ship
 * (jedisct1/libsodium.js#355), so the CommonJS build is loaded instead.
 */
const sodium = createRequire(import.meta.url)('libsodium-wrappers-sumo') as SodiumApi;

export async function readySodium(): Promise<SodiumApi> {
  await sodium.ready;
  return sodium;
}

/** The Emscripten module behind the wrappers; not in the published types. */
interface WasmHeap {
  HEAPU8: Uint8Array;
  _free(address: number): void;
  _crypto_secretstream_xchacha20poly1305_statebytes(): number;
}

/**
 * The wrappers malloc a secretstream state per stream and never free it: a receiver would leak
 * it once per envelope, and the state holds the stream key. Wipe it, then give it back.
 */
export function releaseStreamState(state: StreamState): void {
  const heap = (sodium as unknown as { libsodium?: WasmHeap }).libsodium;
  if (heap === undefined) return;
  const address = state as unknown as number;
  heap.HEAPU8.fill(0, address, address + heap._crypto_secretstream_xchacha20poly1305_statebytes());
  heap._free(address);
}

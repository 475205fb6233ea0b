import type { MessageTag } from 'libsodium-wrappers-sumo';
import { WireError } from './errors.js';
import { releaseStreamState, type SodiumApi, type StreamState } from './sodium.js';

/**
 * XChaCha20-Poly1305 secretstream over fixed-size chunks. Every chunk carries the envelope
 * header as associated data, so a header cannot be moved onto another envelope's ciphertext;
 * the last chunk alone is tagged FINAL, so a stream cut at a chunk boundary is detected.
 */
export const DEFAULT_CHUNK_BYTES = 64 * 1024;

export function ciphertextBytesFor(sodium: SodiumApi, plaintextBytes: number, chunkBytes: number): number {
  return plaintextBytes + chunkCount(plaintextBytes, chunkBytes) * sodium.crypto_secretstream_xchacha20poly1305_ABYTES;
}

/** An empty plaintext still gets one (FINAL) chunk, so every stream proves where it ends. */
function chunkCount(plaintextBytes: number, chunkBytes: number): number {
  return Math.max(1, Math.ceil(plaintextBytes / chunkBytes));
}

export function encryptChunks(sodium: SodiumApi, key: Uint8Array, plaintext: Uint8Array, chunkBytes: number, header: Uint8Array): { streamHeader: Uint8Array; ciphertext: Uint8Array } {
  const { state, header: streamHeader } = sodium.crypto_secretstream_xchacha20poly1305_init_push(key);
  try {
    const ciphertext = new Uint8Array(ciphertextBytesFor(sodium, plaintext.length, chunkBytes));
    const chunks = chunkCount(plaintext.length, chunkBytes);
    let written = 0;
    for (let i = 0; i < chunks; i++) {
      const last = i === chunks - 1;
      const chunk = plaintext.subarray(i * chunkBytes, (i + 1) * chunkBytes);
      const tag = last ? sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL : sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
      const sealed = sodium.crypto_secretstream_xchacha20poly1305_push(state, chunk, header, tag);
      ciphertext.set(sealed, written);
      written += sealed.length;
    }
    return { streamHeader, ciphertext };
  } finally {
    releaseStreamState(state);
  }
}

export function decryptChunks(sodium: SodiumApi, key: Uint8Array, streamHeader: Uint8Array, ciphertext: Uint8Array, chunkBytes: number, header: Uint8Array): Uint8Array {
  const state = sodium.crypto_secretstream_xchacha20poly1305_init_pull(streamHeader, key);
  try {
    return pullAll(sodium, state, ciphertext, chunkBytes, header);
  } finally {
    releaseStreamState(state);
  }
}

function pullAll(sodium: SodiumApi, state: StreamState, ciphertext: Uint8Array, chunkBytes: number, header: Uint8Array): Uint8Array {
  const abytes = sodium.crypto_secretstream_xchacha20poly1305_ABYTES;
  const sealedChunkBytes = chunkBytes + abytes;
  const plaintext = new Uint8Array(plaintextBytesFor(ciphertext.length, sealedChunkBytes, abytes));
  let read = 0;
  let written = 0;
  do {
    const sealed = ciphertext.subarray(read, read + sealedChunkBytes);
    read += sealed.length;
    // The published types omit it, but pull answers `false` when a chunk fails authentication.
    const opened = sodium.crypto_secretstream_xchacha20poly1305_pull(state, sealed, header) as MessageTag | false;
    if (opened === false) {
      throw new WireError('ENVELOPE_DECRYPT_FAILED', 'Envelope ciphertext failed authentication');
    }
    plaintext.set(opened.message, written);
    written += opened.message.length;
    checkTag(sodium, opened.tag, read === ciphertext.length);
  } while (read < ciphertext.length);
  return plaintext;
}

/** Checked before decrypting: every chunk, the last one too, must hold at least its authentication tag. */
function plaintextBytesFor(ciphertextBytes: number, sealedChunkBytes: number, abytes: number): number {
  const lastChunkBytes = ciphertextBytes % sealedChunkBytes;
  if (ciphertextBytes === 0 || (lastChunkBytes > 0 && lastChunkBytes < abytes)) {
    throw new WireError('ENVELOPE_MALFORMED', 'Envelope ciphertext length does not split into whole chunks');
  }
  return ciphertextBytes - chunkCount(ciphertextBytes, sealedChunkBytes) * abytes;
}

function checkTag(sodium: SodiumApi, tag: number, last: boolean): void {
  const final = tag === sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL;
  if (last && !final) throw new WireError('ENVELOPE_TRUNCATED', 'Envelope ciphertext ends without its final chunk');
  if (!last && final) throw new WireError('ENVELOPE_MALFORMED', 'Envelope ciphertext continues after its final chunk');
  if (!last && tag !== sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE) {
    throw new WireError('ENVELOPE_MALFORMED', 'Envelope ciphertext carries an unexpected chunk tag');
  }
}

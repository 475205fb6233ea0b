import { beforeAll, describe, expect, it } from 'vitest';
import { WireError, openEnvelope, readEnvelopeHeader, sealEnvelope, type WireErrorCode } from '@hema3n/cloud-sync/wire';
import { LAYOUT, incompressibleBytes, makeParties, openOptions, partsOf, resign, sealInput, setUint64, testSodium, utf8, type Parties } from './helpers.js';

let parties: Parties;
let small: Uint8Array;
let large: Uint8Array;

beforeAll(async () => {
  parties = await makeParties();
  small = await sealEnvelope(sealInput(parties, utf8('{"resourceType":"Bundle","type":"transaction"}')));
  large = await sealEnvelope(sealInput(parties, incompressibleBytes(2 * 1024 * 1024 + 7), { kind: 'media-chunk' }));
});

async function rejectionCode(envelope: Uint8Array): Promise<WireErrorCode | 'opened'> {
  try {
    await openEnvelope(envelope, openOptions(parties));
    return 'opened';
  } catch (error) {
    if (error instanceof WireError) return error.code;
    throw error;
  }
}

function flipped(envelope: Uint8Array, position: number, mask: number): Uint8Array {
  const copy = envelope.slice();
  copy[position]! ^= mask;
  return copy;
}

describe('a changed byte anywhere in a sealed envelope', () => {
  it('is rejected at every position of a small envelope, for several kinds of change', async () => {
    const { headerBytes } = partsOf(small);
    for (let position = 0; position < small.length; position++) {
      for (const mask of [0x01, 0x80, 0xff]) {
        const code = await rejectionCode(flipped(small, position, mask));
        expect(code, `byte ${position} ^ ${mask}`).not.toBe('opened');
        // Past the header only the signature can notice, and it must.
        if (position >= headerBytes) expect(code, `byte ${position} ^ ${mask}`).toBe('ENVELOPE_SIGNATURE_INVALID');
      }
    }
  });

  it('is rejected at every header position and at sampled positions across a multi-MB envelope', async () => {
    const { headerBytes, cipherStart } = partsOf(large);
    const positions = [...Array.from({ length: cipherStart }, (_, i) => i), ...Array.from({ length: 40 }, (_, i) => cipherStart + Math.floor(((large.length - cipherStart) * i) / 40)), large.length - 1];
    for (const position of positions) {
      const code = await rejectionCode(flipped(large, position, 0x01));
      expect(code, `byte ${position}`).not.toBe('opened');
      if (position >= headerBytes) expect(code, `byte ${position}`).toBe('ENVELOPE_SIGNATURE_INVALID');
    }
  });
});

describe('an envelope tampered with and signed again by the appliance key', () => {
  it('is still rejected when one ciphertext byte changed (the stream authenticates every chunk)', async () => {
    const { cipherStart } = partsOf(small);
    const tampered = await resign(flipped(small, cipherStart + 3, 0x01), parties.appliance.secretKey);
    expect(await rejectionCode(tampered)).toBe('ENVELOPE_DECRYPT_FAILED');
  });

  it('is still rejected when its header was moved onto another envelope (the header is associated data)', async () => {
    const first = await sealEnvelope(sealInput(parties, utf8('{"case":1}'), { compression: 'none', sequence: 7 }));
    const second = await sealEnvelope(sealInput(parties, utf8('{"case":2}'), { compression: 'none', sequence: 8 }));
    const { headerBytes } = partsOf(first);
    const swapped = second.slice();
    swapped.set(first.subarray(0, headerBytes), 0);
    expect(readEnvelopeHeader(swapped).sequence).toBe(7);
    expect(await rejectionCode(await resign(swapped, parties.appliance.secretKey))).toBe('ENVELOPE_DECRYPT_FAILED');
  });

  it('is still rejected when two chunks were swapped', async () => {
    const { cipherStart } = partsOf(large);
    const sealedChunk = 64 * 1024 + LAYOUT.chunkOverheadBytes;
    const swapped = large.slice();
    swapped.set(large.subarray(cipherStart, cipherStart + sealedChunk), cipherStart + sealedChunk);
    swapped.set(large.subarray(cipherStart + sealedChunk, cipherStart + 2 * sealedChunk), cipherStart);
    expect(await rejectionCode(await resign(swapped, parties.appliance.secretKey))).toBe('ENVELOPE_DECRYPT_FAILED');
  });

  it('is malformed when its stated ciphertext length leaves a last chunk too short to hold its tag', async () => {
    const { cipherStart } = partsOf(large);
    const cipherBytes = 64 * 1024 + LAYOUT.chunkOverheadBytes + 5;
    const cut = new Uint8Array(cipherStart + cipherBytes + LAYOUT.signatureBytes);
    cut.set(large.subarray(0, cipherStart + cipherBytes));
    setUint64(cut, LAYOUT.ciphertextBytesOffset, cipherBytes);
    expect(await rejectionCode(await resign(cut, parties.appliance.secretKey))).toBe('ENVELOPE_MALFORMED');
  });

  it('is rejected when its chunk size was changed, which moves every chunk boundary', async () => {
    const tampered = small.slice();
    new DataView(tampered.buffer).setUint32(LAYOUT.chunkBytesOffset, 4096);
    expect(await rejectionCode(await resign(tampered, parties.appliance.secretKey))).toBe('ENVELOPE_DECRYPT_FAILED');
  });
});

describe('a truncated envelope', () => {
  it('is reported as truncated for every possible cut of a small envelope', async () => {
    for (let length = 0; length < small.length; length++) {
      expect(await rejectionCode(small.subarray(0, length)), `first ${length} bytes`).toBe('ENVELOPE_TRUNCATED');
    }
  });

  it('is reported as truncated when a multi-MB upload stopped half way', async () => {
    expect(await rejectionCode(large.subarray(0, large.length >> 1))).toBe('ENVELOPE_TRUNCATED');
  });

  it('is malformed, not accepted, when bytes follow the signature', async () => {
    const padded = new Uint8Array(small.length + 1);
    padded.set(small);
    expect(await rejectionCode(padded)).toBe('ENVELOPE_MALFORMED');
  });
});

describe('an envelope whose stream a faulty appliance ended wrongly', () => {
  const CHUNK = 1024;

  /** Builds a validly sealed and signed envelope with the chunk tags chosen by the test. */
  async function craft(tags: ('message' | 'final')[]): Promise<Uint8Array> {
    const sodium = await testSodium();
    const { headerBytes } = partsOf(small);
    const header = small.slice(0, headerBytes);
    const cipherBytes = tags.length * (CHUNK + LAYOUT.chunkOverheadBytes);
    header[LAYOUT.compressionOffset] = 0;
    new DataView(header.buffer).setUint32(LAYOUT.chunkBytesOffset, CHUNK);
    setUint64(header, LAYOUT.payloadBytesOffset, tags.length * CHUNK);
    setUint64(header, LAYOUT.ciphertextBytesOffset, cipherBytes);
    const key = sodium.crypto_secretstream_xchacha20poly1305_keygen();
    const { state, header: streamHeader } = sodium.crypto_secretstream_xchacha20poly1305_init_push(key);
    const envelope = new Uint8Array(headerBytes + LAYOUT.sealedKeyBytes + LAYOUT.streamHeaderBytes + cipherBytes + LAYOUT.signatureBytes);
    envelope.set(header, 0);
    envelope.set(sodium.crypto_box_seal(key, Buffer.from(parties.cloud.publicKey, 'base64url')), headerBytes);
    envelope.set(streamHeader, headerBytes + LAYOUT.sealedKeyBytes);
    tags.forEach((tag, i) => {
      const code = tag === 'final' ? sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL : sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
      const chunk = sodium.crypto_secretstream_xchacha20poly1305_push(state, new Uint8Array(CHUNK).fill(i), header, code);
      envelope.set(chunk, partsOf(envelope).cipherStart + i * (CHUNK + LAYOUT.chunkOverheadBytes));
    });
    return resign(envelope, parties.appliance.secretKey);
  }

  it('opens when only the last chunk is tagged final (the crafting itself is sound)', async () => {
    expect(await rejectionCode(await craft(['message', 'message', 'final']))).toBe('opened');
  });

  it('is recognised as truncated when no chunk is tagged final', async () => {
    expect(await rejectionCode(await craft(['message', 'message', 'message']))).toBe('ENVELOPE_TRUNCATED');
  });

  it('is malformed when chunks follow the final one', async () => {
    expect(await rejectionCode(await craft(['message', 'final', 'message']))).toBe('ENVELOPE_MALFORMED');
  });
});

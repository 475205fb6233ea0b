import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENVELOPE_MAGIC, envelopeSha256, openEnvelope, readEnvelopeHeader, sealEnvelope, type EnvelopeHeader, type SealEnvelopeInput } from '@hema3n/cloud-sync/wire';

/** The committed vectors pin format v1: if a change breaks them, it needs a new format version. */
interface VectorFile {
  keys: { applianceSigning: { publicKey: string; secretKey: string }; cloudBox: { publicKey: string; secretKey: string } };
  vectors: {
    name: string;
    sealInput: Omit<SealEnvelopeInput, 'payload' | 'signSecretKey' | 'recipientBoxPublicKey'>;
    payload: { encoding: 'utf8' | 'base64url'; data: string };
    expectedHeader: EnvelopeHeader;
    expectedHeaderHex: string;
    envelopeSha256: string;
    envelopeBase64url: string;
  }[];
}

const file = JSON.parse(readFileSync(new URL('./envelope-v1.json', import.meta.url), 'utf8')) as VectorFile;
const { keys } = file;
const vectors = file.vectors.map((vector) => ({
  ...vector,
  envelope: new Uint8Array(Buffer.from(vector.envelopeBase64url, 'base64url')),
  payloadBytes: new Uint8Array(Buffer.from(vector.payload.data, vector.payload.encoding)),
}));
const openOptions = {
  verifyKeyFor: (applianceId: string) => (applianceId === 'f3b1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d' ? keys.applianceSigning.publicKey : undefined),
  recipientBoxKeyPair: keys.cloudBox,
};

/** The ciphertext length follows brotli's output, which a newer zlib may shape differently without any format change. */
const CIPHERTEXT_LENGTH = { offset: 37, bytes: 8 };
function withoutCiphertextLength(header: Uint8Array): string {
  const copy = Buffer.from(header);
  copy.fill(0, CIPHERTEXT_LENGTH.offset, CIPHERTEXT_LENGTH.offset + CIPHERTEXT_LENGTH.bytes);
  return copy.toString('hex');
}

describe.each(vectors)('envelope v1 vector: $name', (vector) => {
  it('is the committed envelope, byte for byte', () => {
    expect(envelopeSha256(vector.envelope)).toBe(vector.envelopeSha256);
  });

  it('opens with the committed keys and gives back the committed payload', async () => {
    const { header, payload } = await openEnvelope(vector.envelope, openOptions);
    expect(header).toEqual(vector.expectedHeader);
    expect(Buffer.from(payload).equals(Buffer.from(vector.payloadBytes))).toBe(true);
  });

  it('starts with the magic bytes and format version 1', () => {
    expect([...vector.envelope.subarray(0, 5)]).toEqual([...ENVELOPE_MAGIC, 1]);
    expect(new TextDecoder().decode(vector.envelope.subarray(0, 4))).toBe('H3NE');
  });

  it('has a header that parses to the expected fields without any key', () => {
    expect(readEnvelopeHeader(vector.envelope)).toEqual(vector.expectedHeader);
  });

  it('is reproduced, header byte for header byte, by sealing its input today', async () => {
    const resealed = await sealEnvelope({ ...vector.sealInput, payload: vector.payloadBytes, signSecretKey: keys.applianceSigning.secretKey, recipientBoxPublicKey: keys.cloudBox.publicKey });
    const headerBytes = vector.expectedHeaderHex.length / 2;
    expect(withoutCiphertextLength(resealed.subarray(0, headerBytes))).toBe(withoutCiphertextLength(Buffer.from(vector.expectedHeaderHex, 'hex')));
  });
});

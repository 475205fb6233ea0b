/**
 * Writes the envelope v1 test vectors to stdout (see README.md). Sealing is randomized, so a
 * new run gives different envelope bytes that are just as valid; regenerate only when the format
 * changes, and then as envelope-v2.json next to this one.
 *
 *   node --import tsx cloud-sync/test/vectors/generate-envelope-v1.ts > cloud-sync/test/vectors/envelope-v1.json
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type Sodium from 'libsodium-wrappers-sumo';
import { envelopeSha256, readEnvelopeHeader, sealEnvelope, type SealEnvelopeInput } from '@hema3n/cloud-sync/wire';

const sodium = createRequire(import.meta.url)('libsodium-wrappers-sumo') as typeof Sodium;
await sodium.ready;

const b64url = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');
const seed = (label: string): Uint8Array => createHash('sha256').update(label).digest();

const signing = sodium.crypto_sign_seed_keypair(seed('hema3n envelope-v1 test vector: appliance signing key'));
const box = sodium.crypto_box_seed_keypair(seed('hema3n envelope-v1 test vector: cloud box key'));
const keys = {
  applianceSigning: { publicKey: b64url(signing.publicKey), secretKey: b64url(signing.privateKey) },
  cloudBox: { publicKey: b64url(box.publicKey), secretKey: b64url(box.privateKey) },
};

const bundle = JSON.stringify({
  kind: 'case-bundle',
  caseId: 'c0ffee00-0000-4000-8000-000000000001',
  bundle: {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      { fullUrl: 'urn:uuid:00000001-0000-4000-8000-000000000001', resource: { resourceType: 'Patient', gender: 'unknown' }, request: { method: 'POST', url: 'Patient' } },
      {
        fullUrl: 'urn:uuid:00000002-0000-4000-8000-000000000002',
        resource: {
          resourceType: 'Observation',
          status: 'final',
          code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }] },
          subject: { reference: 'urn:uuid:00000001-0000-4000-8000-000000000001' },
          effectiveDateTime: '2025-06-01T14:29:58.000Z',
          valueQuantity: { value: 112, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
        },
        request: { method: 'POST', url: 'Observation' },
      },
    ],
  },
});
/** 2,600 bytes of a fixed pattern, carried raw in three 1 KiB chunks: exercises chunking and FINAL. */
const media = Uint8Array.from({ length: 2600 }, (_, i) => (i * 31 + (i >> 8)) & 0xff);

const cases: { name: string; payload: { encoding: 'utf8' | 'base64url'; data: string }; bytes: Uint8Array; input: Omit<SealEnvelopeInput, 'payload' | 'signSecretKey' | 'recipientBoxPublicKey'> }[] = [
  {
    name: 'case bundle, brotli, one chunk',
    payload: { encoding: 'utf8', data: bundle },
    bytes: new TextEncoder().encode(bundle),
    input: { kind: 'case-bundle', applianceId: 'f3b1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d', sequence: 1, createdAt: 1_748_788_200_000 },
  },
  {
    name: 'media chunk, uncompressed, three 1 KiB chunks',
    payload: { encoding: 'base64url', data: b64url(media) },
    bytes: media,
    input: { kind: 'media-chunk', contentType: 'image/jpeg', applianceId: 'f3b1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d', sequence: 2, createdAt: 1_748_788_201_500, chunkBytes: 1024 },
  },
];

const vectors = [];
for (const { name, payload, bytes, input } of cases) {
  const envelope = await sealEnvelope({ ...input, payload: bytes, signSecretKey: keys.applianceSigning.secretKey, recipientBoxPublicKey: keys.cloudBox.publicKey });
  const header = readEnvelopeHeader(envelope);
  const headerBytes = 45 + header.applianceId.length + header.contentType.length;
  vectors.push({
    name,
    sealInput: input,
    payload,
    expectedHeader: header,
    expectedHeaderHex: Buffer.from(envelope.subarray(0, headerBytes)).toString('hex'),
    envelopeSha256: envelopeSha256(envelope),
    envelopeBase64url: b64url(envelope),
  });
}

const file = {
  description: 'HEMA3N envelope format v1 test vectors (docs/ENVELOPE.md). Test-only keys. Sealing is randomized: check by opening, and compare only the header bytes.',
  generator: 'cloud-sync/test/vectors/generate-envelope-v1.ts',
  encoding: 'Keys, payloads marked base64url and envelopes are URL-safe base64 without padding.',
  keys,
  vectors,
};
process.stdout.write(`${JSON.stringify(file, null, 2)}\n`);

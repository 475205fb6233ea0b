import { beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_CHUNK_BYTES,
  ENVELOPE_FORMAT_VERSION,
  envelopeSha256,
  openEnvelope,
  readEnvelopeHeader,
  sealEnvelope,
  type AlertPayload,
  type CaseBundlePayload,
} from '@hema3n/cloud-sync/wire';
import { APPLIANCE_ID, LAYOUT, incompressibleBytes, makeParties, openOptions, partsOf, sealInput, utf8, type Parties } from './helpers.js';
import { syntheticCaseBundle, syntheticCaseBundleBytes } from './synthetic-bundle.js';

let parties: Parties;
beforeAll(async () => {
  parties = await makeParties();
});

function chunkCount(envelope: Uint8Array): number {
  const { cipherStart, cipherEnd } = partsOf(envelope);
  return Math.ceil((cipherEnd - cipherStart) / (DEFAULT_CHUNK_BYTES + LAYOUT.chunkOverheadBytes));
}

describe('sealing and opening an envelope', () => {
  it.each([
    { name: 'an empty payload', payload: new Uint8Array(0) },
    { name: 'a one-byte payload', payload: Uint8Array.of(42) },
    { name: 'a small FHIR bundle', payload: syntheticCaseBundleBytes(2_000) },
    { name: 'a payload of exactly one chunk', payload: incompressibleBytes(DEFAULT_CHUNK_BYTES) },
    { name: 'a payload one byte over one chunk', payload: incompressibleBytes(DEFAULT_CHUNK_BYTES + 1) },
  ])('gives back $name unchanged', async ({ payload }) => {
    const envelope = await sealEnvelope(sealInput(parties, payload));
    const opened = await openEnvelope(envelope, openOptions(parties));
    expect(Buffer.from(opened.payload).equals(Buffer.from(payload))).toBe(true);
  });

  it('gives back a multi-MB compressible bundle that spans several secretstream chunks', async () => {
    const payload = syntheticCaseBundleBytes(6 * 1024 * 1024);
    const envelope = await sealEnvelope(sealInput(parties, payload, { compression: 'brotli' }));
    const opened = await openEnvelope(envelope, openOptions(parties));
    expect(opened.header.compression).toBe('brotli');
    expect(chunkCount(envelope)).toBeGreaterThan(1);
    expect(envelope.length).toBeLessThan(payload.length / 10);
    expect(Buffer.from(opened.payload).equals(Buffer.from(payload))).toBe(true);
  });

  it('gives back a multi-MB incompressible payload carried raw in many chunks', async () => {
    const payload = incompressibleBytes(3 * 1024 * 1024 + 123);
    const envelope = await sealEnvelope(sealInput(parties, payload, { kind: 'media-chunk' }));
    const opened = await openEnvelope(envelope, openOptions(parties));
    expect(opened.header.compression).toBe('none');
    expect(chunkCount(envelope)).toBe(49);
    expect(Buffer.from(opened.payload).equals(Buffer.from(payload))).toBe(true);
  });

  it('honours a chosen chunk size, which the header carries to the receiver', async () => {
    const payload = incompressibleBytes(10_000);
    const envelope = await sealEnvelope(sealInput(parties, payload, { compression: 'none', chunkBytes: 1024 }));
    const { cipherStart, cipherEnd } = partsOf(envelope);
    expect(cipherEnd - cipherStart).toBe(10_000 + 10 * LAYOUT.chunkOverheadBytes);
    const opened = await openEnvelope(envelope, openOptions(parties));
    expect(Buffer.from(opened.payload).equals(Buffer.from(payload))).toBe(true);
  });

  it('returns the authenticated header fields the appliance sealed', async () => {
    const payload = utf8('{"kind":"alert"}');
    const envelope = await sealEnvelope(sealInput(parties, payload, { kind: 'alert', sequence: 9_007_199_254_740_991, createdAt: 1_750_000_000_123 }));
    const { header } = await openEnvelope(envelope, openOptions(parties));
    expect(header).toEqual({
      formatVersion: ENVELOPE_FORMAT_VERSION,
      kind: 'alert',
      contentType: 'application/json',
      applianceId: APPLIANCE_ID,
      sequence: 9_007_199_254_740_991,
      createdAt: 1_750_000_000_123,
      compression: 'none',
      payloadBytes: payload.length,
      envelopeBytes: envelope.length,
    });
  });

  it.each([
    { kind: 'case-bundle', contentType: 'application/fhir+json', compression: 'brotli' },
    { kind: 'alert', contentType: 'application/json', compression: 'brotli' },
    { kind: 'media-chunk', contentType: 'application/octet-stream', compression: 'none' },
    { kind: 'receipt', contentType: 'application/json', compression: 'brotli' },
  ] as const)('defaults a $kind envelope to $contentType with $compression compression', async ({ kind, contentType, compression }) => {
    const payload = syntheticCaseBundleBytes(5_000);
    const header = readEnvelopeHeader(await sealEnvelope(sealInput(parties, payload, { kind })));
    expect(header).toMatchObject({ kind, contentType, compression });
  });

  it('keeps a caller-chosen content type', async () => {
    const envelope = await sealEnvelope(sealInput(parties, incompressibleBytes(100), { kind: 'media-chunk', contentType: 'image/jpeg' }));
    expect(readEnvelopeHeader(envelope).contentType).toBe('image/jpeg');
  });

  it('sends a payload raw when brotli cannot make it smaller', async () => {
    const envelope = await sealEnvelope(sealInput(parties, incompressibleBytes(50_000), { compression: 'brotli' }));
    expect(readEnvelopeHeader(envelope).compression).toBe('none');
  });

  it('seals the same payload differently every time (fresh stream key), and both open', async () => {
    const input = sealInput(parties, utf8('same payload'));
    const first = await sealEnvelope(input);
    const second = await sealEnvelope(input);
    expect(envelopeSha256(first)).not.toBe(envelopeSha256(second));
    await expect(openEnvelope(first, openOptions(parties))).resolves.toBeDefined();
    await expect(openEnvelope(second, openOptions(parties))).resolves.toBeDefined();
  });

  it('opens an envelope handed over as a slice of a larger Node Buffer, as an HTTP body arrives', async () => {
    const envelope = await sealEnvelope(sealInput(parties, utf8('{"resourceType":"Bundle"}')));
    const body = Buffer.concat([Buffer.from('xyz'), envelope, Buffer.from('!')]).subarray(3, 3 + envelope.length);
    const opened = await openEnvelope(body, openOptions(parties));
    expect(new TextDecoder().decode(opened.payload)).toBe('{"resourceType":"Bundle"}');
  });

  it('waits for an asynchronous signer lookup', async () => {
    const envelope = await sealEnvelope(sealInput(parties, utf8('x')));
    const opened = await openEnvelope(envelope, openOptions(parties, { verifyKeyFor: async () => parties.appliance.publicKey }));
    expect(new TextDecoder().decode(opened.payload)).toBe('x');
  });
});

describe('the shared payload contract', () => {
  it('carries a case bundle payload as JSON in a case-bundle envelope', async () => {
    const sent: CaseBundlePayload = { kind: 'case-bundle', caseId: 'case-1', bundle: syntheticCaseBundle(10_000) };
    const envelope = await sealEnvelope(sealInput(parties, utf8(JSON.stringify(sent)), { kind: sent.kind }));
    const { header, payload } = await openEnvelope(envelope, openOptions(parties));
    const received = JSON.parse(new TextDecoder().decode(payload)) as CaseBundlePayload;
    expect(header.kind).toBe(received.kind);
    expect(received).toEqual(sent);
  });

  it('carries an alert payload as JSON in an alert envelope', async () => {
    const sent: AlertPayload = {
      kind: 'alert',
      caseId: 'case-1',
      acuity: 2,
      latestVitals: [{ code: '8867-4', value: 128, unit: '/min', observedAt: 1_750_000_000_000 }],
      eta: 1_750_000_600_000,
    };
    const envelope = await sealEnvelope(sealInput(parties, utf8(JSON.stringify(sent)), { kind: sent.kind }));
    const { header, payload } = await openEnvelope(envelope, openOptions(parties));
    expect(header.kind).toBe('alert');
    expect(JSON.parse(new TextDecoder().decode(payload))).toEqual(sent);
  });
});

describe('reading a header without verifying', () => {
  it('needs only the header bytes, so a receiver can look up the signer before the body arrives', async () => {
    const envelope = await sealEnvelope(sealInput(parties, incompressibleBytes(5_000)));
    const { headerBytes } = partsOf(envelope);
    const header = readEnvelopeHeader(envelope.subarray(0, headerBytes));
    expect(header).toMatchObject({ applianceId: APPLIANCE_ID, sequence: 7, envelopeBytes: envelope.length });
  });

  it('names the envelope by the SHA-256 of its exact bytes', async () => {
    expect(envelopeSha256(utf8('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_ENVELOPE_BYTES,
  DEFAULT_MAX_PAYLOAD_BYTES,
  WireError,
  generateBoxKeyPair,
  generateSigningKeyPair,
  openEnvelope,
  readEnvelopeHeader,
  sealEnvelope,
  type SealEnvelopeInput,
} from '@hema3n/cloud-sync/wire';
import { APPLIANCE_ID, LAYOUT, incompressibleBytes, makeParties, openOptions, sealInput, utf8, type Parties } from './helpers.js';

let parties: Parties;
let envelope: Uint8Array;

beforeAll(async () => {
  parties = await makeParties();
  envelope = await sealEnvelope(sealInput(parties, utf8('{"resourceType":"Bundle"}')));
});

async function failure(promise: Promise<unknown>): Promise<WireError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(WireError);
  return error as WireError;
}

function syncFailure(run: () => unknown): WireError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(WireError);
    return error as WireError;
  }
  throw new Error('expected a WireError');
}

describe('opening an envelope from the wrong party', () => {
  it('refuses an appliance the receiver does not know', async () => {
    const error = await failure(openEnvelope(envelope, openOptions(parties, { verifyKeyFor: () => undefined })));
    expect(error.code).toBe('ENVELOPE_SIGNER_UNKNOWN');
  });

  it('refuses a signature made by another appliance key', async () => {
    const error = await failure(openEnvelope(envelope, openOptions(parties, { verifyKeyFor: () => parties.otherAppliance.publicKey })));
    expect(error.code).toBe('ENVELOPE_SIGNATURE_INVALID');
  });

  it('refuses an envelope signed by an appliance posing as another one', async () => {
    const forged = await sealEnvelope(sealInput(parties, utf8('{}'), { signSecretKey: parties.otherAppliance.secretKey }));
    expect((await failure(openEnvelope(forged, openOptions(parties)))).code).toBe('ENVELOPE_SIGNATURE_INVALID');
  });

  it('cannot be decrypted with a receiver key it was not sealed to', async () => {
    const error = await failure(openEnvelope(envelope, openOptions(parties, { recipientBoxKeyPair: parties.otherCloud })));
    expect(error.code).toBe('ENVELOPE_DECRYPT_FAILED');
  });
});

describe('opening something that is not a v1 envelope', () => {
  it.each([2, 0, 255])('refuses format version %i as unsupported', async (version) => {
    const newer = envelope.slice();
    newer[LAYOUT.versionOffset] = version;
    expect((await failure(openEnvelope(newer, openOptions(parties)))).code).toBe('ENVELOPE_VERSION_UNSUPPORTED');
    expect(syncFailure(() => readEnvelopeHeader(newer)).code).toBe('ENVELOPE_VERSION_UNSUPPORTED');
  });

  it('refuses an envelope that is not bytes', async () => {
    const error = await failure(openEnvelope('SDNORQE' as unknown as Uint8Array, openOptions(parties)));
    expect(error.code).toBe('WIRE_INPUT_INVALID');
  });

  it('refuses bytes without the magic prefix as malformed', async () => {
    expect((await failure(openEnvelope(utf8('{"resourceType":"Bundle"}'), openOptions(parties)))).code).toBe('ENVELOPE_MALFORMED');
  });

  it.each([
    { field: 'kind', offset: LAYOUT.kindOffset, value: 0 },
    { field: 'kind', offset: LAYOUT.kindOffset, value: 9 },
    { field: 'compression', offset: LAYOUT.compressionOffset, value: 7 },
  ])('names $field when its code $value is unknown', ({ field, offset, value }) => {
    const odd = envelope.slice();
    odd[offset] = value;
    const error = syncFailure(() => readEnvelopeHeader(odd));
    expect(error.code).toBe('ENVELOPE_MALFORMED');
    expect(error.issues.map((issue) => issue.field)).toEqual([field]);
  });
});

describe('size limits', () => {
  it('refuses to open an envelope larger than the receiver allows, before any cryptography', async () => {
    const error = await failure(openEnvelope(envelope, openOptions(parties, { maxEnvelopeBytes: envelope.length - 1, verifyKeyFor: () => expect.unreachable() })));
    expect(error.code).toBe('ENVELOPE_TOO_LARGE');
  });

  it('refuses an envelope whose payload would exceed the receiver limit once decompressed', async () => {
    const bundle = await sealEnvelope(sealInput(parties, new Uint8Array(100_000)));
    expect(bundle.length).toBeLessThan(1_000);
    expect((await failure(openEnvelope(bundle, openOptions(parties, { maxPayloadBytes: 99_999 })))).code).toBe('ENVELOPE_TOO_LARGE');
    expect(syncFailure(() => readEnvelopeHeader(bundle, { maxPayloadBytes: 99_999 })).code).toBe('ENVELOPE_TOO_LARGE');
  });

  it('opens an envelope exactly at the limits', async () => {
    const payload = incompressibleBytes(5_000);
    const exact = await sealEnvelope(sealInput(parties, payload));
    await expect(openEnvelope(exact, openOptions(parties, { maxEnvelopeBytes: exact.length, maxPayloadBytes: payload.length }))).resolves.toBeDefined();
  });

  it('refuses to seal a payload over the limit', async () => {
    const error = await failure(sealEnvelope(sealInput(parties, new Uint8Array(1_001), { maxPayloadBytes: 1_000 })));
    expect(error.code).toBe('ENVELOPE_TOO_LARGE');
  });

  it('keeps the default envelope limit above the largest default payload with its framing', () => {
    const framingAtSmallestChunk = (DEFAULT_MAX_PAYLOAD_BYTES / 1024) * LAYOUT.chunkOverheadBytes + 45 + 64 + 127 + 80 + 24 + 64;
    expect(DEFAULT_MAX_PAYLOAD_BYTES + framingAtSmallestChunk).toBeLessThanOrEqual(DEFAULT_MAX_ENVELOPE_BYTES);
  });
});

describe('sealing with bad input', () => {
  it('names every bad field at once', async () => {
    const input = {
      ...sealInput(parties, utf8('{}')),
      kind: 'note',
      applianceId: 'ambulance 7 (spare)',
      sequence: 0,
      createdAt: 1.5,
      contentType: '',
      chunkBytes: 10,
      compression: 'zstd',
    } as unknown as SealEnvelopeInput;
    const error = await failure(sealEnvelope(input));
    expect(error.code).toBe('WIRE_INPUT_INVALID');
    expect(error.issues.map((issue) => issue.field).sort()).toEqual(['applianceId', 'chunkBytes', 'compression', 'contentType', 'createdAt', 'kind', 'sequence']);
  });

  it.each([
    { name: 'a sequence beyond the safe integer range', overrides: { sequence: 2 ** 53 }, field: 'sequence' },
    { name: 'an appliance id longer than 64 characters', overrides: { applianceId: 'a'.repeat(65) }, field: 'applianceId' },
    { name: 'a non-ASCII appliance id', overrides: { applianceId: 'ambulanz-ü' }, field: 'applianceId' },
    { name: 'a payload that is not bytes', overrides: { payload: 'text' as unknown as Uint8Array }, field: 'payload' },
  ])('refuses $name', async ({ overrides, field }) => {
    const error = await failure(sealEnvelope(sealInput(parties, utf8('{}'), overrides)));
    expect(error.code).toBe('WIRE_INPUT_INVALID');
    expect(error.issues.map((issue) => issue.field)).toEqual([field]);
  });
});

describe('keys', () => {
  it('are URL-safe base64 without padding, of the documented lengths', async () => {
    const signing = await generateSigningKeyPair();
    const box = await generateBoxKeyPair();
    for (const [key, chars] of [[signing.publicKey, 43], [signing.secretKey, 86], [box.publicKey, 43], [box.secretKey, 43]] as const) {
      expect(key).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(key).toHaveLength(chars);
    }
  });

  it('are accepted as printed, even with the newline a key file ends in', async () => {
    const sealed = await sealEnvelope(sealInput(parties, utf8('{}'), { signSecretKey: `${parties.appliance.secretKey}\n`, recipientBoxPublicKey: ` ${parties.cloud.publicKey}\n` }));
    await expect(openEnvelope(sealed, openOptions(parties, { verifyKeyFor: () => `${parties.appliance.publicKey}\n` }))).resolves.toBeDefined();
  });

  it.each([
    { name: 'standard base64 with padding', key: () => Buffer.from(parties.cloud.publicKey, 'base64url').toString('base64') },
    { name: 'a key of the wrong length', key: () => parties.appliance.publicKey.slice(0, 40) },
    { name: 'a signing key where a box key belongs', key: () => parties.appliance.secretKey },
    { name: 'a non-canonical spelling', key: () => `${parties.cloud.publicKey.slice(0, 42)}B` },
  ])('refuses $name without echoing it', async ({ key }) => {
    const bad = key();
    const error = await failure(sealEnvelope(sealInput(parties, utf8('{}'), { recipientBoxPublicKey: bad })));
    expect(error.code).toBe('WIRE_KEY_INVALID');
    expect(error.issues).toEqual([{ field: 'recipientBoxPublicKey', problem: expect.any(String) }]);
    expect(JSON.stringify({ message: error.message, issues: error.issues })).not.toContain(bad);
  });

  it('refuses a malformed verify key handed over by the receiver lookup', async () => {
    const error = await failure(openEnvelope(envelope, openOptions(parties, { verifyKeyFor: (id) => (id === APPLIANCE_ID ? 'not-a-key' : undefined) })));
    expect(error.code).toBe('WIRE_KEY_INVALID');
  });
});

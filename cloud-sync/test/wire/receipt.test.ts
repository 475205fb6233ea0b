import { beforeAll, describe, expect, it } from 'vitest';
import {
  RECEIPT_SIGNING_CONTEXT,
  WireError,
  canonicalJson,
  envelopeSha256,
  generateSigningKeyPair,
  signReceipt,
  verifyReceipt,
  type JsonValue,
  type Receipt,
  type SignedReceipt,
  type SigningKeyPair,
} from '@hema3n/cloud-sync/wire';
import { APPLIANCE_ID, testSodium, utf8 } from './helpers.js';

let cloud: SigningKeyPair;
let impostor: SigningKeyPair;

const receipt: Receipt = {
  applianceId: APPLIANCE_ID,
  sequence: 42,
  envelopeSha256: envelopeSha256(utf8('envelope bytes')),
  receivedAt: 1_750_000_000_000,
  outcome: { status: 'accepted' },
};

beforeAll(async () => {
  cloud = await generateSigningKeyPair();
  impostor = await generateSigningKeyPair();
});

async function failure(promise: Promise<unknown>): Promise<WireError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(WireError);
  return error as WireError;
}

/** What the appliance gets after the receipt crossed HTTP: parsed JSON, not the cloud's object. */
const overTheWire = (signed: SignedReceipt): unknown => JSON.parse(JSON.stringify(signed));

describe('signed receipts', () => {
  it('verify with the cloud key after travelling as JSON', async () => {
    const signed = await signReceipt(receipt, cloud.secretKey);
    expect(await verifyReceipt(overTheWire(signed), cloud.publicKey)).toEqual(receipt);
  });

  it('verify whatever key order and whitespace the JSON arrived in', async () => {
    const signed = await signReceipt(receipt, cloud.secretKey);
    const reordered = JSON.parse(
      JSON.stringify(
        {
          signature: signed.signature,
          receipt: { outcome: receipt.outcome, receivedAt: receipt.receivedAt, sequence: receipt.sequence, envelopeSha256: receipt.envelopeSha256, applianceId: receipt.applianceId },
        },
        null,
        2,
      ),
    ) as unknown;
    expect(await verifyReceipt(reordered, cloud.publicKey)).toEqual(receipt);
  });

  it('carry a rejection with its stable code', async () => {
    const rejected: Receipt = { ...receipt, outcome: { status: 'rejected', code: 'ENVELOPE_SIGNATURE_INVALID' } };
    const signed = await signReceipt(rejected, cloud.secretKey);
    expect(await verifyReceipt(overTheWire(signed), cloud.publicKey)).toEqual(rejected);
  });

  it('are signed over the context line and the canonical JSON, so other implementations can check them', async () => {
    const sodium = await testSodium();
    const signed = await signReceipt(receipt, cloud.secretKey);
    const message = utf8(`${RECEIPT_SIGNING_CONTEXT}{"applianceId":"${APPLIANCE_ID}","envelopeSha256":"${receipt.envelopeSha256}","outcome":{"status":"accepted"},"receivedAt":1750000000000,"sequence":42}`);
    expect(sodium.crypto_sign_verify_detached(Buffer.from(signed.signature, 'base64url'), message, Buffer.from(cloud.publicKey, 'base64url'))).toBe(true);
  });

  it('do not verify with another key', async () => {
    const signed = await signReceipt(receipt, impostor.secretKey);
    expect((await failure(verifyReceipt(overTheWire(signed), cloud.publicKey))).code).toBe('RECEIPT_SIGNATURE_INVALID');
  });

  it.each([
    { field: 'applianceId', change: { applianceId: 'another-appliance' } },
    { field: 'sequence', change: { sequence: 43 } },
    { field: 'envelopeSha256', change: { envelopeSha256: envelopeSha256(utf8('other bytes')) } },
    { field: 'receivedAt', change: { receivedAt: 1_750_000_000_001 } },
    { field: 'outcome', change: { outcome: { status: 'rejected', code: 'ENVELOPE_MALFORMED' } } },
  ])('do not verify once $field was changed', async ({ change }) => {
    const signed = await signReceipt(receipt, cloud.secretKey);
    const tampered = { ...signed, receipt: { ...signed.receipt, ...change } };
    expect((await failure(verifyReceipt(overTheWire(tampered as SignedReceipt), cloud.publicKey))).code).toBe('RECEIPT_SIGNATURE_INVALID');
  });

  it('do not verify once a signature byte was changed', async () => {
    const signed = await signReceipt(receipt, cloud.secretKey);
    const bytes = Buffer.from(signed.signature, 'base64url');
    bytes[10]! ^= 0x01;
    const tampered = { ...signed, signature: bytes.toString('base64url') };
    expect((await failure(verifyReceipt(tampered, cloud.publicKey))).code).toBe('RECEIPT_SIGNATURE_INVALID');
  });

  it.each([
    { name: 'not an object', value: 'receipt', fields: ['signedReceipt'] },
    { name: 'missing its signature', value: { receipt }, fields: ['signature'] },
    { name: 'carrying an extra field', value: { receipt: { ...receipt, note: 'x' }, signature: 'A'.repeat(86) }, fields: ['receipt.note'] },
    { name: 'with an outcome code in free text', value: { receipt: { ...receipt, outcome: { status: 'rejected', code: 'patient refused' } }, signature: 'A'.repeat(86) }, fields: ['outcome.code'] },
    { name: 'with bad fields everywhere', value: { receipt: { applianceId: '', sequence: -1, envelopeSha256: 'ABC', receivedAt: 'now', outcome: { status: 'maybe' } }, signature: 'A'.repeat(86) }, fields: ['applianceId', 'envelopeSha256', 'outcome.status', 'receivedAt', 'sequence'] },
  ])('are malformed when $name, naming every bad field', async ({ value, fields }) => {
    const error = await failure(verifyReceipt(value, cloud.publicKey));
    expect(error.code).toBe('RECEIPT_MALFORMED');
    expect(error.issues.map((issue) => issue.field).sort()).toEqual(fields);
  });

  it('cannot be signed with an invalid receipt', async () => {
    const error = await failure(signReceipt({ ...receipt, sequence: 0 }, cloud.secretKey));
    expect(error.code).toBe('WIRE_INPUT_INVALID');
    expect(error.issues.map((issue) => issue.field)).toEqual(['sequence']);
  });
});

describe('canonical JSON', () => {
  it.each<{ value: JsonValue; expected: string }>([
    { value: { b: 1, a: [true, null, 'x'] }, expected: '{"a":[true,null,"x"],"b":1}' },
    { value: { nested: { z: 0, y: -0 } }, expected: '{"nested":{"y":0,"z":0}}' },
    { value: { 'é': 1, e: 2, E: 3 }, expected: '{"E":3,"e":2,"é":1}' },
    { value: { line: 'a\nb"c' }, expected: '{"line":"a\\nb\\"c"}' },
    { value: [1e21, 0.1, 5], expected: '[1e+21,0.1,5]' },
  ])('writes $expected', ({ value, expected }) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  it('refuses a number JSON cannot spell', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(TypeError);
  });
});

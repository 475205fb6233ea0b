import { createRequire } from 'node:module';
import type Sodium from 'libsodium-wrappers-sumo';
import {
  generateBoxKeyPair,
  generateSigningKeyPair,
  type BoxKeyPair,
  type OpenEnvelopeOptions,
  type SealEnvelopeInput,
  type SigningKeyPair,
} from '@hema3n/cloud-sync/wire';

/**
 * Test-side access to libsodium and to the v1 byte layout (docs/ENVELOPE.md), for building
 * envelopes a compromised appliance could send: tampered, then validly signed again.
 * The CommonJS build is loaded because the package's ESM build is broken (see src/wire/sodium.ts).
 */
const sodium = createRequire(import.meta.url)('libsodium-wrappers-sumo') as typeof Sodium;

export async function testSodium(): Promise<typeof Sodium> {
  await sodium.ready;
  return sodium;
}

export const LAYOUT = {
  versionOffset: 4,
  kindOffset: 5,
  compressionOffset: 6,
  chunkBytesOffset: 9,
  sequenceOffset: 13,
  payloadBytesOffset: 29,
  ciphertextBytesOffset: 37,
  fixedHeaderBytes: 45,
  sealedKeyBytes: 80,
  streamHeaderBytes: 24,
  signatureBytes: 64,
  chunkOverheadBytes: 17,
} as const;

export interface Parts {
  headerBytes: number;
  cipherStart: number;
  cipherEnd: number;
}

export function partsOf(envelope: Uint8Array): Parts {
  const headerBytes = LAYOUT.fixedHeaderBytes + envelope[7]! + envelope[8]!;
  const cipherStart = headerBytes + LAYOUT.sealedKeyBytes + LAYOUT.streamHeaderBytes;
  return { headerBytes, cipherStart, cipherEnd: envelope.length - LAYOUT.signatureBytes };
}

/** Signs everything before the signature again, as the appliance's own key would. */
export async function resign(envelope: Uint8Array, signSecretKey: string): Promise<Uint8Array> {
  const s = await testSodium();
  const out = envelope.slice();
  const signedBytes = out.length - LAYOUT.signatureBytes;
  const signature = s.crypto_sign_detached(out.subarray(0, signedBytes), Buffer.from(signSecretKey, 'base64url'));
  out.set(signature, signedBytes);
  return out;
}

export function setUint64(envelope: Uint8Array, offset: number, value: number): void {
  new DataView(envelope.buffer, envelope.byteOffset, envelope.byteLength).setBigUint64(offset, BigInt(value));
}

export interface Parties {
  appliance: SigningKeyPair;
  otherAppliance: SigningKeyPair;
  cloud: BoxKeyPair;
  otherCloud: BoxKeyPair;
}

export async function makeParties(): Promise<Parties> {
  return {
    appliance: await generateSigningKeyPair(),
    otherAppliance: await generateSigningKeyPair(),
    cloud: await generateBoxKeyPair(),
    otherCloud: await generateBoxKeyPair(),
  };
}

export const APPLIANCE_ID = 'f3b1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d';

export function sealInput(parties: Parties, payload: Uint8Array, overrides: Partial<SealEnvelopeInput> = {}): SealEnvelopeInput {
  return {
    payload,
    kind: 'case-bundle',
    applianceId: APPLIANCE_ID,
    sequence: 7,
    createdAt: Date.UTC(2025, 5, 1, 14, 30),
    signSecretKey: parties.appliance.secretKey,
    recipientBoxPublicKey: parties.cloud.publicKey,
    ...overrides,
  };
}

export function openOptions(parties: Parties, overrides: Partial<OpenEnvelopeOptions> = {}): OpenEnvelopeOptions {
  return {
    verifyKeyFor: (applianceId) => (applianceId === APPLIANCE_ID ? parties.appliance.publicKey : undefined),
    recipientBoxKeyPair: parties.cloud,
    ...overrides,
  };
}

/** Deterministic bytes that brotli cannot shrink (a counter through SHA-256 would do too; this is cheaper). */
export function incompressibleBytes(length: number, seed = 1): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[i] = state & 0xff;
  }
  return bytes;
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

import { randomUUID } from 'node:crypto';
import { generateBoxKeyPair, generateSigningKeyPair } from '@hema3n/cloud-sync/wire';

export interface NewIdentity {
  readonly applianceId: string;
  readonly signPublicKey: string;
  readonly signSecretKey: string;
  readonly boxPublicKey: string;
  readonly boxSecretKey: string;
  readonly createdAt: number;
}

/**
 * A new appliance identity: an id, an Ed25519 key that signs envelopes and an X25519 key that
 * receipts and cloud messages can be sealed to. Keys use the wire format's encoding, so what
 * `hema3n identity` prints is what `hema3n-cloud appliances add` accepts.
 */
export async function generateIdentity(now: number): Promise<NewIdentity> {
  const [sign, box] = await Promise.all([generateSigningKeyPair(), generateBoxKeyPair()]);
  return {
    applianceId: randomUUID(),
    signPublicKey: sign.publicKey,
    signSecretKey: sign.secretKey,
    boxPublicKey: box.publicKey,
    boxSecretKey: box.secretKey,
    createdAt: now,
  };
}

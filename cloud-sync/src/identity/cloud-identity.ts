import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { CloudError } from '../errors.js';
import { generateBoxKeyPair, generateSigningKeyPair, type BoxKeyPair, type SigningKeyPair } from '../wire/index.js';

/** The cloud's keys: appliances seal envelopes to the box key and check receipts with the sign key. */
export interface CloudIdentity {
  readonly boxKeyPair: BoxKeyPair;
  readonly signKeyPair: SigningKeyPair;
  readonly createdAt: number;
}

/** What `hema3n-cloud identity` prints and every appliance is configured with. */
export interface PublicCloudIdentity {
  readonly boxPublicKey: string;
  readonly signPublicKey: string;
}

export const IDENTITY_FILE = 'identity.json';

const key = (characters: number) => z.string().regex(new RegExp(`^[A-Za-z0-9_-]{${characters}}$`), `must be URL-safe base64 of ${characters} characters`);

const IdentityFile = z.strictObject({
  version: z.literal(1),
  boxPublicKey: key(43),
  boxSecretKey: key(43),
  signPublicKey: key(43),
  signSecretKey: key(86),
  createdAt: z.number().int().min(0),
});

export function publicIdentity(identity: CloudIdentity): PublicCloudIdentity {
  return { boxPublicKey: identity.boxKeyPair.publicKey, signPublicKey: identity.signKeyPair.publicKey };
}

/**
 * Reads the identity from the state directory, creating it on first use. Creation is race-free
 * (the file is written under a temporary name and hard-linked into place), so a CLI call and the
 * service starting at the same moment end up with the same keys.
 */
export async function loadOrCreateIdentity(stateDir: string, now: () => number): Promise<CloudIdentity> {
  const path = join(stateDir, IDENTITY_FILE);
  const existing = readIdentity(path);
  if (existing) return existing;
  const [box, sign] = await Promise.all([generateBoxKeyPair(), generateSigningKeyPair()]);
  const file = { version: 1, boxPublicKey: box.publicKey, boxSecretKey: box.secretKey, signPublicKey: sign.publicKey, signSecretKey: sign.secretKey, createdAt: now() };
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  writeOnce(path, `${JSON.stringify(file, null, 2)}\n`);
  return readIdentity(path) ?? failed('was not created');
}

function readIdentity(path: string): CloudIdentity | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CloudError('IDENTITY_INVALID', `Cannot read the cloud identity ${path}`, { cause: error });
  }
  if ((statSync(path).mode & 0o077) !== 0) failed('is readable by group or others (chmod 600 it)', path);
  let parsed: z.infer<typeof IdentityFile>;
  try {
    parsed = IdentityFile.parse(JSON.parse(text));
  } catch (cause) {
    return failed('is not a cloud identity file', path, cause);
  }
  // The libsodium Ed25519 secret key ends with its public key: a mismatch means a hand-edited file.
  if (Buffer.from(parsed.signSecretKey, 'base64url').subarray(32).toString('base64url') !== parsed.signPublicKey) failed('holds a sign key pair that does not match', path);
  return {
    boxKeyPair: { publicKey: parsed.boxPublicKey, secretKey: parsed.boxSecretKey },
    signKeyPair: { publicKey: parsed.signPublicKey, secretKey: parsed.signSecretKey },
    createdAt: parsed.createdAt,
  };
}

function writeOnce(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(temporary, path);
  } catch (error) {
    // Someone else created it first: theirs stands.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temporary);
  }
}

function failed(problem: string, path = IDENTITY_FILE, cause?: unknown): never {
  throw new CloudError('IDENTITY_INVALID', `The cloud identity file ${path} ${problem}`, { cause, issues: [{ field: IDENTITY_FILE, problem }] });
}

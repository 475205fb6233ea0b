import { canonicalJson } from './canonical-json.js';
import { WireError, throwIfIssues, type WireIssue } from './errors.js';
import { applianceIdIssues, integerIssues } from './format.js';
import { decodeBase64Url, decodeKey, encodeBase64Url } from './keys.js';
import { readySodium } from './sodium.js';

/** The cloud's answer to one envelope. The receiver stores it and sends the same one again for a replay. */
export type Receipt = {
  applianceId: string;
  sequence: number;
  /** envelopeSha256() of the exact envelope bytes received. */
  envelopeSha256: string;
  /** Milliseconds since the epoch, by the cloud's clock. */
  receivedAt: number;
  outcome: ReceiptOutcome;
};

/** 'rejected' carries a stable error code (e.g. a WireError code), never free text: no PHI in receipts. */
export type ReceiptOutcome = { status: 'accepted' } | { status: 'rejected'; code: string };

export interface SignedReceipt {
  receipt: Receipt;
  /** Ed25519 signature by the cloud over RECEIPT_SIGNING_CONTEXT + canonicalJson(receipt), URL-safe base64. */
  signature: string;
}

/**
 * Prefixed to the signed bytes so that a receipt signature can never be passed off as a
 * signature over anything else the cloud key signs. A change to the receipt shape bumps it.
 */
export const RECEIPT_SIGNING_CONTEXT = 'hema3n-receipt-v1\n';

const SHA256_HEX = /^[0-9a-f]{64}$/;
const ERROR_CODE = /^[A-Z][A-Z0-9_]{0,63}$/;
const RECEIPT_KEYS = ['applianceId', 'envelopeSha256', 'outcome', 'receivedAt', 'sequence'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Unknown keys are refused, not ignored: a newer receipt shape comes with a new signing context and must fail loudly here. */
function keyIssues(value: Record<string, unknown>, allowed: readonly string[], field: string): WireIssue[] {
  return Object.keys(value)
    .filter((key) => !allowed.includes(key))
    .map((key) => ({ field: `${field}.${key}`, problem: 'is not a receipt field' }));
}

function outcomeIssues(outcome: unknown): WireIssue[] {
  if (!isRecord(outcome)) return [{ field: 'outcome', problem: 'must be an object' }];
  if (outcome.status === 'accepted') return keyIssues(outcome, ['status'], 'outcome');
  if (outcome.status === 'rejected') {
    const code = typeof outcome.code === 'string' && ERROR_CODE.test(outcome.code) ? [] : [{ field: 'outcome.code', problem: 'must be an error code such as ENVELOPE_MALFORMED' }];
    return [...code, ...keyIssues(outcome, ['status', 'code'], 'outcome')];
  }
  return [{ field: 'outcome.status', problem: "must be 'accepted' or 'rejected'" }];
}

function receiptIssues(receipt: unknown): WireIssue[] {
  if (!isRecord(receipt)) return [{ field: 'receipt', problem: 'must be an object' }];
  return [
    ...applianceIdIssues(receipt.applianceId),
    ...integerIssues(receipt.sequence, 'sequence', 1),
    ...(typeof receipt.envelopeSha256 === 'string' && SHA256_HEX.test(receipt.envelopeSha256) ? [] : [{ field: 'envelopeSha256', problem: 'must be 64 lowercase hex characters' }]),
    ...integerIssues(receipt.receivedAt, 'receivedAt', 0),
    ...outcomeIssues(receipt.outcome),
    ...keyIssues(receipt, RECEIPT_KEYS, 'receipt'),
  ];
}

function signingBytes(receipt: Receipt): Uint8Array {
  return new TextEncoder().encode(RECEIPT_SIGNING_CONTEXT + canonicalJson(receipt));
}

export async function signReceipt(receipt: Receipt, cloudSignSecretKey: string): Promise<SignedReceipt> {
  throwIfIssues('WIRE_INPUT_INVALID', 'Receipt is invalid', receiptIssues(receipt));
  const secretKey = decodeKey(cloudSignSecretKey, 'signSecretKey', 'cloudSignSecretKey');
  const sodium = await readySodium();
  try {
    return { receipt, signature: encodeBase64Url(sodium.crypto_sign_detached(signingBytes(receipt), secretKey)) };
  } finally {
    sodium.memzero(secretKey);
  }
}

/**
 * Checks the shape of a signed receipt as parsed from JSON, then the cloud's signature.
 * Whether it answers the envelope the appliance sent (same id, sequence and sha256) is the caller's check.
 */
export async function verifyReceipt(signed: unknown, cloudSignPublicKey: string): Promise<Receipt> {
  const publicKey = decodeKey(cloudSignPublicKey, 'signPublicKey', 'cloudSignPublicKey');
  if (!isRecord(signed)) throw new WireError('RECEIPT_MALFORMED', 'Signed receipt is not an object', { issues: [{ field: 'signedReceipt', problem: 'must be an object' }] });
  const signature = typeof signed.signature === 'string' ? decodeBase64Url(signed.signature) : undefined;
  const issues = [
    ...receiptIssues(signed.receipt),
    ...(signature?.length === 64 ? [] : [{ field: 'signature', problem: 'must be a 64-byte signature in URL-safe base64 without padding' }]),
    ...keyIssues(signed, ['receipt', 'signature'], 'signedReceipt'),
  ];
  throwIfIssues('RECEIPT_MALFORMED', 'Signed receipt is malformed', issues);
  const receipt = signed.receipt as Receipt;
  const sodium = await readySodium();
  if (!sodium.crypto_sign_verify_detached(signature as Uint8Array, signingBytes(receipt), publicKey)) {
    throw new WireError('RECEIPT_SIGNATURE_INVALID', 'Receipt signature does not verify with the cloud key');
  }
  return receipt;
}

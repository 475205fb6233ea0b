import { createHash } from 'node:crypto';

/** SHA-256 of the exact envelope bytes, lowercase hex: how receipts name an envelope, and how a receiver spots a byte-identical replay. */
export function envelopeSha256(envelope: Uint8Array): string {
  return createHash('sha256').update(envelope).digest('hex');
}

import { verifyReceipt, type Receipt } from '@hema3n/cloud-sync/wire';
import { Hema3nError } from '../errors.js';

/** The cloud answered and refused the envelope: resending the same data will not help. */
export class CloudRejection extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
  ) {
    super(`cloud refused the envelope: ${code} (HTTP ${status})`);
  }
}

export interface CloudEndpoint {
  readonly url: string;
  /** The cloud's Ed25519 key, to verify receipts. */
  readonly signPublicKey: string;
  readonly timeoutMs: number;
}

/**
 * The edge's side of POST /v1/envelopes. A transport failure or a 5xx throws a plain error (retry
 * later); a 4xx throws CloudRejection; a 2xx must carry a receipt the cloud signed for exactly
 * this envelope, or it counts as not received.
 */
export class CloudClient {
  constructor(private readonly endpoint: CloudEndpoint) {}

  async probe(stop?: AbortSignal): Promise<boolean> {
    try {
      const response = await fetch(new URL('/health', this.endpoint.url), { signal: this.signal(stop) });
      return response.ok;
    } catch {
      return false;
    }
  }

  /** `stop` cuts the request short (the part is stopping); the envelope then counts as not received. */
  async send(envelope: Uint8Array, expect: { applianceId: string; sequence: number; sha256: string }, stop?: AbortSignal): Promise<Receipt> {
    const response = await fetch(new URL('/v1/envelopes', this.endpoint.url), {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: new Blob([new Uint8Array(envelope)]),
      signal: this.signal(stop),
    });
    const body = await response.text();
    if (response.status >= 500) throw new Error(`cloud error HTTP ${response.status}`);
    if (!response.ok) throw new CloudRejection(outcomeCode(body) ?? `HTTP_${response.status}`, response.status);
    const receipt = await verifyReceipt(JSON.parse(body) as unknown, this.endpoint.signPublicKey);
    if (receipt.applianceId !== expect.applianceId || receipt.sequence !== expect.sequence || receipt.envelopeSha256 !== expect.sha256) {
      throw new Hema3nError('INTERNAL', 'The receipt does not match the envelope sent');
    }
    if (receipt.outcome.status === 'rejected') throw new CloudRejection(receipt.outcome.code, response.status);
    return receipt;
  }

  private signal(stop: AbortSignal | undefined): AbortSignal {
    const timeout = AbortSignal.timeout(this.endpoint.timeoutMs);
    return stop ? AbortSignal.any([timeout, stop]) : timeout;
  }
}

/** The stable code inside an OperationOutcome, if the body is one. */
function outcomeCode(body: string): string | undefined {
  try {
    const outcome = JSON.parse(body) as { issue?: Array<{ details?: { coding?: Array<{ code?: string }> } }> };
    return outcome.issue?.[0]?.details?.coding?.[0]?.code;
  } catch {
    return undefined;
  }
}

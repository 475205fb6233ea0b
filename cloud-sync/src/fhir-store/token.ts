import { z } from 'zod';
import { CloudError } from '../errors.js';

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
  tokenUrl: string;
  scope?: string;
}

const TokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().positive().optional(),
});

/** Renew this long before the server's expiry, so a token never dies in flight. */
const EXPIRY_MARGIN_MS = 30_000;
/** When the server gives no expires_in. */
const DEFAULT_LIFETIME_MS = 300_000;

/**
 * OAuth 2.0 client credentials (RFC 6749 §4.4) with client_secret_basic, the one client
 * authentication every server must support. The token is cached until shortly before it expires;
 * concurrent callers share one request.
 */
export class ClientCredentialsToken {
  private cached: { token: string; expiresAt: number } | undefined;
  private pending: Promise<string> | undefined;

  constructor(
    private readonly credentials: ClientCredentials,
    private readonly now: () => number,
    private readonly timeoutMs: number,
  ) {}

  async get(): Promise<string> {
    if (this.cached && this.now() < this.cached.expiresAt) return this.cached.token;
    this.pending ??= this.fetchToken().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** After the FHIR server refused the token (it may have been revoked before its expiry). */
  invalidate(): void {
    this.cached = undefined;
  }

  private async fetchToken(): Promise<string> {
    const { clientId, clientSecret, tokenUrl, scope } = this.credentials;
    const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64');
    const form = new URLSearchParams({ grant_type: 'client_credentials', ...(scope ? { scope } : {}) });
    let response: Response;
    try {
      response = await fetch(tokenUrl, {
        method: 'POST',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (cause) {
      throw new CloudError('FHIR_UPSTREAM_FAILED', 'The FHIR token endpoint cannot be reached', { cause });
    }
    const parsed = TokenResponse.safeParse(await response.json().catch(() => undefined));
    if (!response.ok || !parsed.success) throw new CloudError('FHIR_UPSTREAM_FAILED', `The FHIR token endpoint refused the client credentials (HTTP ${response.status})`);
    const lifetime = parsed.data.expires_in === undefined ? DEFAULT_LIFETIME_MS : parsed.data.expires_in * 1000;
    this.cached = { token: parsed.data.access_token, expiresAt: this.now() + Math.max(lifetime - EXPIRY_MARGIN_MS, 0) };
    return this.cached.token;
  }
}

import type { Bundle, OperationOutcome, Resource } from '@medplum/fhirtypes';
import { CloudError, type CloudErrorCode, type CloudIssue } from '../errors.js';
import type { FhirRepository, SearchQuery } from './repository.js';
import { ClientCredentialsToken, type ClientCredentials } from './token.js';

export type ExternalFhirAuth = { kind: 'none' } | { kind: 'bearer'; token: string } | ({ kind: 'client-credentials' } & ClientCredentials);

export interface ExternalFhirOptions {
  /** The server's FHIR base, e.g. https://fhir.example.org/fhir/R4 */
  baseUrl: string;
  auth: ExternalFhirAuth;
  now: () => number;
  /** Per request. Default 30 s. */
  timeoutMs?: number;
}

const FHIR_JSON = 'application/fhir+json';

/** What the upstream's answer means for the appliance: fix the bundle, refresh and retry, or retry later. */
function codeForStatus(status: number, method: string): CloudErrorCode {
  if (status === 409 || status === 412) return 'FHIR_CONFLICT';
  if (status === 400 || status === 422) return 'FHIR_INVALID';
  // A 404 to a transaction means a wrong base URL, not a missing resource.
  if ((status === 404 || status === 410) && method === 'GET') return 'FHIR_NOT_FOUND';
  return 'FHIR_UPSTREAM_FAILED';
}

/** The upstream's OperationOutcome, as our issues: where and what, as the server said it. */
function outcomeIssues(body: unknown): CloudIssue[] {
  const outcome = body as Partial<OperationOutcome> | undefined;
  if (outcome?.resourceType !== 'OperationOutcome' || !Array.isArray(outcome.issue)) return [];
  return outcome.issue.map((issue) => ({
    field: issue.expression?.[0] ?? issue.location?.[0] ?? 'Bundle',
    problem: issue.diagnostics ?? issue.details?.text ?? issue.code,
  }));
}

/**
 * A FHIR R4 server elsewhere (HEMA3N_FHIR_URL), spoken to with fetch: a case bundle is POSTed to
 * the base as a transaction, so the server applies it all or nothing. Auth: none, a fixed bearer
 * token, or client credentials (token cached until shortly before expiry, renewed once on 401).
 */
export class ExternalFhirRepository implements FhirRepository {
  readonly kind = 'external';
  private readonly baseUrl: string;
  private readonly token: ClientCredentialsToken | undefined;
  private readonly timeoutMs: number;

  constructor(private readonly options: ExternalFhirOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.token = options.auth.kind === 'client-credentials' ? new ClientCredentialsToken(options.auth, options.now, this.timeoutMs) : undefined;
  }

  async transaction(bundle: Bundle): Promise<Bundle> {
    return (await this.request('POST', '', bundle)) as Bundle;
  }

  async read<T extends Resource = Resource>(type: string, id: string): Promise<T> {
    return (await this.request('GET', `/${encodeURIComponent(type)}/${encodeURIComponent(id)}`)) as T;
  }

  async search(type: string, query: SearchQuery): Promise<Bundle> {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) {
      for (const item of typeof value === 'string' ? [value] : (value ?? [])) params.append(name, item);
    }
    const suffix = params.size > 0 ? `?${params}` : '';
    return (await this.request('GET', `/${encodeURIComponent(type)}${suffix}`)) as Bundle;
  }

  async close(): Promise<void> {}

  private async request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    let response = await this.send(method, path, body);
    if (response.status === 401 && this.token) {
      this.token.invalidate();
      response = await this.send(method, path, body);
    }
    const parsed: unknown = await response.json().catch(() => undefined);
    if (response.ok) return parsed;
    const code = codeForStatus(response.status, method);
    throw new CloudError(code, `The FHIR server answered HTTP ${response.status}`, { issues: code === 'FHIR_UPSTREAM_FAILED' ? [] : outcomeIssues(parsed) });
  }

  private async send(method: string, path: string, body: unknown): Promise<Response> {
    const headers: Record<string, string> = { accept: FHIR_JSON, ...(await this.authorization()) };
    if (body !== undefined) headers['content-type'] = FHIR_JSON;
    try {
      return await fetch(`${this.baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (cause) {
      throw new CloudError('FHIR_UPSTREAM_FAILED', 'The FHIR server cannot be reached', { cause });
    }
  }

  private async authorization(): Promise<Record<string, string>> {
    const { auth } = this.options;
    if (auth.kind === 'bearer') return { authorization: `Bearer ${auth.token}` };
    if (this.token) return { authorization: `Bearer ${await this.token.get()}` };
    return {};
  }
}

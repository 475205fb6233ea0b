import type { Bundle, Resource } from '@medplum/fhirtypes';
import { CloudError } from '../errors.js';
import { isVersioned, type FhirRepository, type SearchQuery } from './repository.js';
import { FHIR_ID } from './validation.js';

/** A FHIR REST request, transport-free: the HTTP adapter fills it in from whatever server it runs. */
export interface FhirRequest {
  method: string;
  /** The path below the FHIR base, e.g. `/Patient/p1` or `/` for a transaction. */
  path: string;
  query: SearchQuery;
  body?: unknown;
  /** The absolute FHIR base URL the client used, for fullUrl and paging links. */
  baseUrl: string;
}

export interface FhirResponse {
  status: number;
  body: Resource;
  headers: Record<string, string>;
}

const TYPE = /^[A-Z][A-Za-z]{1,63}$/;

function noSuchInteraction(): CloudError {
  return new CloudError('FHIR_NOT_FOUND', 'No such FHIR interaction');
}

function versionHeaders(resource: Resource): Record<string, string> {
  const { versionId, lastUpdated } = resource.meta ?? {};
  return {
    ...(versionId ? { etag: `W/"${versionId}"` } : {}),
    ...(lastUpdated ? { 'last-modified': new Date(lastUpdated).toUTCString() } : {}),
  };
}

/**
 * The FHIR REST interactions the cloud serves (medplum fhir-router style): transaction, read,
 * vread, history and search, on a FhirRepository. Knows nothing of HTTP servers; errors are
 * CloudErrors that the transport maps in its one place.
 */
export class FhirRouter {
  constructor(private readonly repository: FhirRepository) {}

  async handle(request: FhirRequest): Promise<FhirResponse> {
    const segments = request.path.split('/').filter((segment) => segment !== '');
    const [type, id, history, versionId, ...rest] = segments;
    if (rest.length > 0 || (type !== undefined && !TYPE.test(type)) || (id !== undefined && !FHIR_ID.test(id))) throw noSuchInteraction();
    if (request.method === 'POST' && type === undefined) return this.ok(await this.repository.transaction(request.body as Bundle));
    if (request.method !== 'GET' || type === undefined) throw noSuchInteraction();
    if (id === undefined) return this.ok(this.withLinks(await this.repository.search(type, request.query), request, type));
    if (history === undefined) return this.read(await this.repository.read(type, id));
    if (history !== '_history' || !isVersioned(this.repository)) throw noSuchInteraction();
    if (versionId === undefined) return this.ok(this.withFullUrls(await this.repository.history(type, id), request.baseUrl));
    return this.read(await this.repository.readVersion(type, id, versionId));
  }

  private ok(body: Resource): FhirResponse {
    return { status: 200, body, headers: {} };
  }

  private read(resource: Resource): FhirResponse {
    return { status: 200, body: resource, headers: versionHeaders(resource) };
  }

  private withFullUrls(bundle: Bundle, baseUrl: string): Bundle {
    const entry = bundle.entry?.map((item) => (item.resource?.id ? { fullUrl: `${baseUrl}/${item.resource.resourceType}/${item.resource.id}`, ...item } : item));
    return { ...bundle, ...(entry ? { entry } : {}) };
  }

  /** self, and next while there are more matches than this page shows. */
  private withLinks(bundle: Bundle, request: FhirRequest, type: string): Bundle {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(request.query)) {
      for (const item of typeof value === 'string' ? [value] : (value ?? [])) if (name !== '_offset') params.append(name, item);
    }
    const offset = Number(firstValue(request.query._offset) ?? 0) || 0;
    const shown = bundle.entry?.length ?? 0;
    const url = (at: number): string => `${request.baseUrl}/${type}?${new URLSearchParams([...params, ...(at > 0 ? [['_offset', String(at)]] : [])])}`;
    const link = [{ relation: 'self', url: url(offset) }];
    if (bundle.total !== undefined && offset + shown < bundle.total && shown > 0) link.push({ relation: 'next', url: url(offset + shown) });
    return { ...this.withFullUrls(bundle, request.baseUrl), link };
  }
}

function firstValue(value: string | readonly string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : value?.[0];
}

import type { Bundle, Resource } from '@medplum/fhirtypes';

/** Query parameters as an HTTP server parses them: repeated names become arrays. */
export type SearchQuery = Readonly<Record<string, string | readonly string[] | undefined>>;

export interface TransactionOptions {
  /**
   * The same key twice applies the bundle once and answers the first response again. The intake
   * passes the envelope's (appliance, sequence, hash), so a crash between the FHIR write and the
   * receipt never applies a bundle twice. Stores that cannot keep keys ignore it.
   */
  idempotencyKey?: string;
}

/**
 * Where case bundles go: the embedded SQLite store or an external FHIR R4 server. Errors are
 * CloudErrors: FHIR_INVALID, FHIR_CONFLICT (names the conflicting entries), FHIR_NOT_FOUND,
 * FHIR_SEARCH_UNSUPPORTED, FHIR_UPSTREAM_FAILED (retry later).
 */
export interface FhirRepository {
  readonly kind: 'embedded' | 'external';
  /** All or nothing: a transaction-response Bundle, entries in request order. */
  transaction(bundle: Bundle, options?: TransactionOptions): Promise<Bundle>;
  read<T extends Resource = Resource>(type: string, id: string): Promise<T>;
  /** A searchset Bundle with `total`. */
  search(type: string, query: SearchQuery): Promise<Bundle>;
  close(): Promise<void>;
}

/** What the embedded store adds: version history. */
export interface VersionedFhirRepository extends FhirRepository {
  history(type: string, id: string): Promise<Bundle>;
  readVersion<T extends Resource = Resource>(type: string, id: string, versionId: string): Promise<T>;
}

export function isVersioned(repository: FhirRepository): repository is VersionedFhirRepository {
  return typeof (repository as Partial<VersionedFhirRepository>).history === 'function';
}

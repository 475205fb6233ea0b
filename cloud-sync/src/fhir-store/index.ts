/**
 * FHIR storage: the repository interface, the embedded SQLite store, an external FHIR R4 server,
 * and the REST interactions on top (FhirRouter), all independent of the HTTP server.
 */
export type { FhirRepository, VersionedFhirRepository, SearchQuery, TransactionOptions } from './repository.js';
export { EmbeddedFhirRepository } from './embedded/embedded-repository.js';
export { FHIR_STORE_FILE } from './embedded/schema.js';
export { ExternalFhirRepository, type ExternalFhirAuth, type ExternalFhirOptions } from './external-repository.js';
export { FhirRouter, type FhirRequest, type FhirResponse } from './router.js';
export { checkTransactionBundle, type CheckedEntry } from './validation.js';
export { loadFhirDefinitions } from './definitions.js';

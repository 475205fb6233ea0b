import type { Bundle, Resource, ResourceType, ExtractResource } from '@medplum/fhirtypes';

/** The resources the bundle writes (a DELETE entry carries none). */
export function resourcesOf(bundle: Bundle): Resource[] {
  return (bundle.entry ?? []).flatMap((entry) => (entry.resource ? [entry.resource] : []));
}

export function ofType<T extends ResourceType>(bundle: Bundle, resourceType: T): ExtractResource<T>[] {
  return resourcesOf(bundle).filter((resource): resource is ExtractResource<T> => resource.resourceType === resourceType);
}

/** Every `reference` string anywhere in the value, with where it was found. */
export function referencesIn(value: unknown, path = ''): { path: string; reference: string }[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => referencesIn(item, `${path}[${index}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) =>
    key === 'reference' && typeof child === 'string' ? [{ path, reference: child }] : referencesIn(child, `${path}.${key}`),
  );
}

export function codesOf(concept: { coding?: { system?: string; code?: string }[] } | undefined): string[] {
  return (concept?.coding ?? []).map((coding) => `${coding.system}|${coding.code}`);
}

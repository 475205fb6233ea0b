import type { Resource } from '@medplum/fhirtypes';
import type { CheckedEntry } from '../validation.js';

interface PlannedBase {
  index: number;
  type: string;
  id: string;
  ifMatch: string | undefined;
}

/** One resource write, with the store's id and the bundle's internal references resolved. */
export interface PlannedWrite extends PlannedBase {
  kind: 'write';
  resource: Resource;
}

/** One resource to expunge: current version, history and index rows. */
export interface PlannedDelete extends PlannedBase {
  kind: 'delete';
}

export type PlannedEntry = PlannedWrite | PlannedDelete;

/**
 * Gives every POST entry its new id and replaces, everywhere in every resource, each value that
 * is exactly one of the bundle's fullUrls (urn:uuid:...) with `Type/id`, as FHIR transaction
 * processing asks (references, and uri/url elements such as a Media's Binary url).
 */
export function planTransaction(entries: readonly CheckedEntry[], newId: () => string): PlannedEntry[] {
  const planned = entries.map((entry) => ({ entry, id: entry.id ?? newId() }));
  const targets = new Map<string, string>();
  for (const { entry, id } of planned) if (entry.fullUrl !== undefined) targets.set(entry.fullUrl, `${entry.type}/${id}`);
  return planned.map(({ entry, id }): PlannedEntry => {
    const base = { index: entry.index, type: entry.type, id, ifMatch: entry.ifMatch };
    if (entry.method === 'DELETE') return { ...base, kind: 'delete' };
    return { ...base, kind: 'write', resource: { ...(rewrite(entry.resource, targets) as Resource), id } };
  });
}

function rewrite(value: unknown, targets: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') return targets.get(value) ?? value;
  if (Array.isArray(value)) return value.map((item) => rewrite(item, targets));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, rewrite(item, targets)]));
  return value;
}

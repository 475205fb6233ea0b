import { getSearchParameter, isResourceType, Operator, parseSearchRequest, type Filter, type SearchRequest } from '@medplum/core';
import { CloudError, type CloudIssue } from '../../errors.js';
import type { SearchQuery } from '../repository.js';
import { INDEXED_REFERENCE_PARAMS } from './references.js';

export const DEFAULT_COUNT = 20;
export const MAX_COUNT = 1000;
const SPECIAL_PARAMS = new Set(['_id', '_lastUpdated']);

/** A search split into what SQL narrows (ids and indexed references) and what medplum matches after it. */
export interface SearchPlan {
  type: string;
  where: string[];
  params: (string | number)[];
  descending: boolean;
  /** The rest of the search, for matchesSearchRequest on each candidate. */
  residual: SearchRequest;
  count: number;
  offset: number;
}

function flatten(query: SearchQuery): Record<string, string[]> {
  const flat: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    flat[name] = typeof value === 'string' ? [value] : [...value];
  }
  return flat;
}

function unsupported(issues: CloudIssue[]): never {
  throw new CloudError('FHIR_SEARCH_UNSUPPORTED', `Search not supported: ${issues.map((i) => i.field).join(', ')}`, { issues });
}

function checkSupported(type: string, request: SearchRequest): void {
  const issues: CloudIssue[] = [];
  for (const filter of request.filters ?? []) {
    if (!SPECIAL_PARAMS.has(filter.code) && getSearchParameter(type, filter.code) === undefined) issues.push({ field: filter.code, problem: `is not a search parameter of ${type} this store supports` });
  }
  if ((request.include?.length ?? 0) + (request.revInclude?.length ?? 0) > 0) issues.push({ field: '_include', problem: 'is not supported' });
  if (request.summary !== undefined || request.fields !== undefined) issues.push({ field: '_summary', problem: '_summary and _elements are not supported' });
  for (const rule of request.sortRules ?? []) if (rule.code !== '_lastUpdated') issues.push({ field: '_sort', problem: 'only _lastUpdated is supported' });
  if (issues.length > 0) unsupported(issues);
}

/** `Patient/p1`, `http://host/fhir/R4/Patient/p1` or just `p1`. */
function referenceTarget(value: string): { type?: string; id: string } {
  const parts = value.split('/').filter((part) => part !== '');
  const id = parts.at(-1) ?? '';
  return parts.length >= 2 ? { type: parts.at(-2)!, id } : { id };
}

function isIndexed(filter: Filter): boolean {
  return filter.operator === Operator.EQUALS && (filter.code === '_id' || (INDEXED_REFERENCE_PARAMS as readonly string[]).includes(filter.code));
}

function sqlFor(filter: Filter, params: (string | number)[]): string {
  const values = filter.value.split(',');
  if (filter.code === '_id') {
    params.push(...values);
    return `r.id IN (${values.map(() => '?').join(', ')})`;
  }
  params.push(filter.code);
  const alternatives = values.map((value) => {
    const target = referenceTarget(value);
    params.push(target.id);
    if (target.type === undefined) return 'x.target_id = ?';
    params.push(target.type);
    return '(x.target_id = ? AND x.target_type = ?)';
  });
  return `EXISTS (SELECT 1 FROM resource_references x WHERE x.type = r.type AND x.id = r.id AND x.code = ? AND (${alternatives.join(' OR ')}))`;
}

/** Parses the query with medplum's parseSearchRequest and refuses what the store cannot answer faithfully. */
export function planSearch(type: string, query: SearchQuery): SearchPlan {
  if (!isResourceType(type)) throw new CloudError('FHIR_NOT_FOUND', 'Unknown resource type', { issues: [{ field: 'type', problem: 'is not an R4 resource type' }] });
  const request = parseSearchRequest(type, flatten(query));
  checkSupported(type, request);
  const params: (string | number)[] = [type];
  const where = ['r.type = ?'];
  const residualFilters: Filter[] = [];
  for (const filter of request.filters ?? []) {
    if (isIndexed(filter)) where.push(sqlFor(filter, params));
    else residualFilters.push(filter);
  }
  const count = Math.min(Math.max(request.count ?? DEFAULT_COUNT, 0), MAX_COUNT);
  return {
    type,
    where,
    params,
    descending: request.sortRules?.[0]?.descending ?? false,
    residual: { resourceType: type, filters: residualFilters },
    count,
    offset: Math.max(request.offset ?? 0, 0),
  };
}

import { isResourceType, OperationOutcomeError, validateResource } from '@medplum/core';
import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import { CloudError, type CloudIssue } from '../errors.js';
import { loadFhirDefinitions } from './definitions.js';

/** FHIR R4 id: 1-64 of A-Z a-z 0-9 - . */
export const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
const MAX_ENTRIES = 10_000;

interface CheckedEntryBase {
  index: number;
  type: string;
  fullUrl: string | undefined;
  /** The version If-Match names, when given. */
  ifMatch: string | undefined;
}

/** A PUT to Type/id or a POST to Type, with the resource it writes. */
export interface CheckedWrite extends CheckedEntryBase {
  method: 'PUT' | 'POST';
  /** Given by the URL for PUT; assigned by the store for POST. */
  id: string | undefined;
  resource: Resource;
}

/** A DELETE of Type/id: it carries no resource. */
export interface CheckedDelete extends CheckedEntryBase {
  method: 'DELETE';
  id: string;
  resource: undefined;
}

/** What the store needs to know of one entry once it has been checked. */
export type CheckedEntry = CheckedWrite | CheckedDelete;

type Checked = Omit<CheckedWrite, 'index'> | Omit<CheckedDelete, 'index'>;

/** An entry's request once its method is known: PUT, POST or DELETE, with a url. */
interface EntryRequest {
  method: 'PUT' | 'POST' | 'DELETE';
  url: string;
  ifMatch?: unknown;
}

interface EntryCheck {
  issues: CloudIssue[];
  checked?: Checked;
}

const METHODS: ReadonlySet<unknown> = new Set(['PUT', 'POST', 'DELETE']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `W/"3"`, `"3"` or `3` → `3`. */
export function parseETag(value: string): string | undefined {
  return /^(?:W\/)?"?([A-Za-z0-9\-.]{1,64})"?$/.exec(value.trim())?.[1];
}

/** What PUT, POST and DELETE share: an optional If-Match ETag and an optional fullUrl. */
function commonParts(entry: Record<string, unknown>, request: EntryRequest, at: string): { issues: CloudIssue[]; ifMatch: string | undefined; fullUrl: string | undefined } {
  const ifMatch = typeof request.ifMatch === 'string' ? parseETag(request.ifMatch) : undefined;
  const issues: CloudIssue[] = [];
  if (request.ifMatch !== undefined && ifMatch === undefined) issues.push({ field: `${at}.request.ifMatch`, problem: 'must be an ETag such as W/"1"' });
  if (entry.fullUrl !== undefined && typeof entry.fullUrl !== 'string') issues.push({ field: `${at}.fullUrl`, problem: 'must be a string' });
  return { issues, ifMatch, fullUrl: typeof entry.fullUrl === 'string' ? entry.fullUrl : undefined };
}

function writeIssues(entry: Record<string, unknown>, request: EntryRequest, method: 'PUT' | 'POST', at: string): EntryCheck {
  const resource = entry.resource;
  if (!isRecord(resource) || typeof resource.resourceType !== 'string') return { issues: [{ field: `${at}.resource`, problem: 'must be a FHIR resource' }] };
  if (!isResourceType(resource.resourceType)) return { issues: [{ field: `${at}.resource.resourceType`, problem: 'is not an R4 resource type' }] };
  const [type, id, ...rest] = request.url.split('/');
  const common = commonParts(entry, request, at);
  const issues: CloudIssue[] = [];
  if (type !== resource.resourceType) issues.push({ field: `${at}.request.url`, problem: 'must start with the resource type of the entry' });
  if (method === 'PUT' && (id === undefined || !FHIR_ID.test(id) || rest.length > 0)) issues.push({ field: `${at}.request.url`, problem: 'must be Type/id for PUT' });
  if (method === 'POST' && id !== undefined) issues.push({ field: `${at}.request.url`, problem: 'must be the resource type alone for POST' });
  if (method === 'PUT' && resource.id !== undefined && resource.id !== id) issues.push({ field: `${at}.resource.id`, problem: 'must equal the id in request.url' });
  issues.push(...common.issues);
  const checked = {
    method,
    type: resource.resourceType,
    id: method === 'PUT' ? id : undefined,
    fullUrl: common.fullUrl,
    ifMatch: common.ifMatch,
    resource: resource as unknown as Resource,
  };
  return { issues, checked };
}

/** A DELETE names what goes by its URL alone; a resource in it would be a sender's mistake, so it is refused rather than ignored. */
function deleteIssues(entry: Record<string, unknown>, request: EntryRequest, at: string): EntryCheck {
  const [type = '', id = '', ...rest] = request.url.split('/');
  const { issues: common, ifMatch, fullUrl } = commonParts(entry, request, at);
  const issues: CloudIssue[] = [];
  if (entry.resource !== undefined) issues.push({ field: `${at}.resource`, problem: 'must be absent for DELETE' });
  if (!isResourceType(type) || !FHIR_ID.test(id) || rest.length > 0) issues.push({ field: `${at}.request.url`, problem: 'must be Type/id for DELETE, Type an R4 resource type' });
  return { issues: [...issues, ...common], checked: { method: 'DELETE', type, id, fullUrl, ifMatch, resource: undefined } };
}

function requestIssues(entry: Record<string, unknown>, at: string): EntryCheck {
  const request = entry.request;
  if (!isRecord(request) || !METHODS.has(request.method) || typeof request.url !== 'string') {
    return { issues: [{ field: `${at}.request`, problem: 'must have method PUT, POST or DELETE and a url' }] };
  }
  const known = request as unknown as EntryRequest;
  return known.method === 'DELETE' ? deleteIssues(entry, known, at) : writeIssues(entry, known, known.method, at);
}

/**
 * medplum refuses every string over 1 MB, which would refuse any photo or recording over about
 * 750 kB as a Binary; a Binary's data is checked here instead (canonical base64, in linear time).
 */
function binaryDataIssues(resource: Resource, at: string): { rest: Resource; issues: CloudIssue[] } {
  if (resource.resourceType !== 'Binary' || typeof resource.data !== 'string') return { rest: resource, issues: [] };
  const { data, ...rest } = resource;
  const base64 = data.length % 4 === 0 && !/[^A-Za-z0-9+/]/.test(data.replace(/={1,2}$/, ''));
  return { rest, issues: base64 ? [] : [{ field: `${at}.resource.data`, problem: 'must be base64' }] };
}

/** medplum reports `Observation.value[x].value`; the entry's own path is clearer to the sender. */
function resourceIssues(resource: Resource, at: string): CloudIssue[] {
  const binary = binaryDataIssues(resource, at);
  if (binary.rest !== resource) return [...binary.issues, ...resourceIssues(binary.rest, at)];
  try {
    validateResource(resource);
    return [];
  } catch (error) {
    if (!(error instanceof OperationOutcomeError)) throw error;
    return error.outcome.issue.map((issue) => ({
      field: `${at}.resource${(issue.expression?.[0] ?? '').replace(/^[A-Za-z]+/, '')}`,
      problem: issue.details?.text ?? issue.diagnostics ?? 'is invalid',
    }));
  }
}

function bundleShapeIssues(bundle: unknown): CloudIssue[] {
  if (!isRecord(bundle) || bundle.resourceType !== 'Bundle') return [{ field: 'Bundle', problem: 'must be a FHIR Bundle' }];
  const issues: CloudIssue[] = [];
  if (bundle.type !== 'transaction') issues.push({ field: 'Bundle.type', problem: "must be 'transaction'" });
  if (!Array.isArray(bundle.entry) || bundle.entry.length === 0 || bundle.entry.length > MAX_ENTRIES) issues.push({ field: 'Bundle.entry', problem: `must hold 1 to ${MAX_ENTRIES} entries` });
  return issues;
}

function duplicateIssues(entries: readonly CheckedEntry[]): CloudIssue[] {
  const seen = new Set<string>();
  const issues: CloudIssue[] = [];
  for (const entry of entries) {
    for (const key of [entry.id === undefined ? undefined : `${entry.type}/${entry.id}`, entry.fullUrl]) {
      if (key === undefined) continue;
      if (seen.has(key)) issues.push({ field: `Bundle.entry[${entry.index}]`, problem: 'names a resource or fullUrl another entry already names' });
      seen.add(key);
    }
  }
  return issues;
}

/**
 * Bundles already checked: the intake checks a case bundle before any store sees it, and the
 * embedded store checks whatever it is given; the second check of the same (unchanged) object
 * would cost as much as the first, about 0.2 s per MB. Nothing here mutates a checked bundle.
 */
const alreadyChecked = new WeakMap<object, CheckedEntry[]>();

/**
 * Checks a transaction Bundle the way the store will apply it: every PUT (to Type/id) or POST (to
 * Type) carries a valid R4 resource (medplum's validator, with the R4 definitions), every DELETE
 * names Type/id and carries no resource, an If-Match is an ETag, no resource is named twice.
 * Every problem of every entry in one FHIR_INVALID.
 */
export function checkTransactionBundle(bundle: unknown): CheckedEntry[] {
  const earlier = isRecord(bundle) ? alreadyChecked.get(bundle) : undefined;
  if (earlier) return earlier;
  loadFhirDefinitions();
  const shape = bundleShapeIssues(bundle);
  if (shape.length > 0) throw new CloudError('FHIR_INVALID', 'The transaction Bundle is invalid', { issues: shape });
  const issues: CloudIssue[] = [];
  const entries: CheckedEntry[] = [];
  ((bundle as Bundle).entry as unknown[]).forEach((raw, index) => {
    const at = `Bundle.entry[${index}]`;
    if (!isRecord(raw)) return issues.push({ field: at, problem: 'must be an object' });
    const { issues: requestProblems, checked } = requestIssues(raw as BundleEntry as Record<string, unknown>, at);
    issues.push(...requestProblems);
    if (checked === undefined) return;
    if (checked.method !== 'DELETE') issues.push(...resourceIssues(checked.resource, at));
    entries.push({ index, ...checked });
  });
  issues.push(...duplicateIssues(entries));
  if (issues.length > 0) throw new CloudError('FHIR_INVALID', `The transaction Bundle has ${issues.length} invalid element(s)`, { issues });
  alreadyChecked.set(bundle as object, entries);
  return entries;
}

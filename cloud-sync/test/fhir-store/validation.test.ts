import type { Bundle, BundleEntry } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { CloudError, type CloudIssue } from '../../src/errors.js';
import { checkTransactionBundle } from '../../src/fhir-store/index.js';

const transaction = (entry: unknown[]): Bundle => ({ resourceType: 'Bundle', type: 'transaction', entry: entry as BundleEntry[] });
const remove = (url: string): BundleEntry => ({ request: { method: 'DELETE', url } });

function issuesOf(bundle: Bundle): readonly CloudIssue[] {
  try {
    checkTransactionBundle(bundle);
  } catch (error) {
    if (error instanceof CloudError && error.code === 'FHIR_INVALID') return error.issues;
    throw error;
  }
  throw new Error('the bundle was accepted');
}

describe('DELETE entries in a transaction bundle', () => {
  it('are accepted with Type/id and no resource, and checked as deletions of that resource', () => {
    const entries = checkTransactionBundle(
      transaction([
        remove('Media/6f1c2b3a-4d5e-5f60-8a7b-9c0d1e2f3a4b'),
        remove('Binary/6f1c2b3a-4d5e-5f60-8a7b-9c0d1e2f3a4c'),
        { resource: { resourceType: 'Patient', id: 'p1' }, request: { method: 'PUT', url: 'Patient/p1' } },
      ]),
    );
    expect(entries.map(({ index, method, type, id, resource }) => ({ index, method, type, id, hasResource: resource !== undefined }))).toEqual([
      { index: 0, method: 'DELETE', type: 'Media', id: '6f1c2b3a-4d5e-5f60-8a7b-9c0d1e2f3a4b', hasResource: false },
      { index: 1, method: 'DELETE', type: 'Binary', id: '6f1c2b3a-4d5e-5f60-8a7b-9c0d1e2f3a4c', hasResource: false },
      { index: 2, method: 'PUT', type: 'Patient', id: 'p1', hasResource: true },
    ]);
  });

  it('keep an If-Match, which must be an ETag', () => {
    expect(checkTransactionBundle(transaction([{ request: { method: 'DELETE', url: 'Binary/b1', ifMatch: 'W/"2"' } }]))[0]!.ifMatch).toBe('2');
    expect(issuesOf(transaction([{ request: { method: 'DELETE', url: 'Binary/b1', ifMatch: 'W/"not one"' } }]))).toEqual([
      { field: 'Bundle.entry[0].request.ifMatch', problem: 'must be an ETag such as W/"1"' },
    ]);
  });

  it('are refused when they carry a resource, naming the entry’s resource', () => {
    const bundle = transaction([remove('Patient/p1'), { resource: { resourceType: 'Binary', id: 'b1', contentType: 'image/jpeg' }, request: { method: 'DELETE', url: 'Binary/b1' } }]);
    expect(issuesOf(bundle)).toEqual([{ field: 'Bundle.entry[1].resource', problem: 'must be absent for DELETE' }]);
  });

  it.each(['Binary', 'Binary/', 'Binary/b1/_history/1', 'Spaceship/b1', 'binary/b1', 'Binary?_id=b1', 'Binary/has space', `Binary/${'x'.repeat(65)}`, '/Binary/b1'])(
    'are refused with the url %j, naming the entry’s url',
    (url) => {
      expect(issuesOf(transaction([remove('Patient/p1'), remove(url)]))).toEqual([{ field: 'Bundle.entry[1].request.url', problem: 'must be Type/id for DELETE, Type an R4 resource type' }]);
    },
  );

  it('may not name a resource another entry of the bundle writes', () => {
    const bundle = transaction([remove('Patient/p1'), { resource: { resourceType: 'Patient' }, request: { method: 'PUT', url: 'Patient/p1' } }]);
    expect(issuesOf(bundle)).toEqual([{ field: 'Bundle.entry[1]', problem: 'names a resource or fullUrl another entry already names' }]);
  });

  it('are reported with every other problem of the bundle at once', () => {
    const bundle = transaction([
      { resource: { resourceType: 'Patient' }, request: { method: 'DELETE', url: 'Patient' } },
      { resource: { resourceType: 'Patient', shoeSize: 44 }, request: { method: 'POST', url: 'Patient' } },
      { request: { method: 'PATCH', url: 'Patient/p2' } },
    ]);
    expect(issuesOf(bundle).map((issue) => issue.field)).toEqual([
      'Bundle.entry[0].resource',
      'Bundle.entry[0].request.url',
      'Bundle.entry[1].resource.shoeSize',
      'Bundle.entry[2].request',
    ]);
  });
});

describe('PUT and POST entries', () => {
  it('still need a resource', () => {
    expect(issuesOf(transaction([{ request: { method: 'PUT', url: 'Patient/p1' } }]))).toEqual([{ field: 'Bundle.entry[0].resource', problem: 'must be a FHIR resource' }]);
  });
});

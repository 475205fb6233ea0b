import type { Bundle, BundleEntry, Observation, Resource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudError } from '../../src/errors.js';
import { EmbeddedFhirRepository, FhirRouter, type SearchQuery } from '../../src/fhir-store/index.js';
import { caseBundle, caseIds, tempStateDir } from './helpers.js';

let state: ReturnType<typeof tempStateDir>;
let store: EmbeddedFhirRepository;
let clock = Date.UTC(2025, 5, 1, 12, 0);
const BASE = 'http://cloud.test/fhir/R4';

beforeAll(() => {
  state = tempStateDir();
  store = EmbeddedFhirRepository.open(state.dir, () => clock);
});

afterAll(async () => {
  await store?.close();
  state?.remove();
});

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return error instanceof CloudError ? error.code : 'not a CloudError';
  }
}

const ids = (bundle: Bundle): string[] => (bundle.entry ?? []).map((entry) => entry.resource!.id!).sort();
const search = (type: string, query: SearchQuery) => store.search(type, query);

describe('writes', () => {
  it('sets meta.versionId 1, 2, 3 and meta.lastUpdated on each write, and keeps every version', async () => {
    const patient = caseIds(80).patient;
    for (const gender of ['unknown', 'female', 'male'] as const) {
      clock += 1000;
      await store.transaction({ resourceType: 'Bundle', type: 'transaction', entry: [{ resource: { resourceType: 'Patient', gender }, request: { method: 'PUT', url: `Patient/${patient}` } }] });
    }
    expect((await store.read('Patient', patient)).meta).toEqual({ versionId: '3', lastUpdated: new Date(clock).toISOString() });
    const history = await store.history('Patient', patient);
    expect(history.entry?.map((e) => e.resource?.meta?.versionId)).toEqual(['3', '2', '1']);
    expect(await store.readVersion('Patient', patient, '1')).toMatchObject({ gender: 'unknown' });
  });

  it('gives POSTed resources new ids and points the urn:uuid references inside the bundle at them', async () => {
    const entry: BundleEntry[] = [
      { fullUrl: 'urn:uuid:7a4e7d1c-0000-4000-8000-000000000001', resource: { resourceType: 'Patient' }, request: { method: 'POST', url: 'Patient' } },
      {
        fullUrl: 'urn:uuid:7a4e7d1c-0000-4000-8000-000000000002',
        resource: { resourceType: 'Observation', status: 'final', code: { text: 'x' }, subject: { reference: 'urn:uuid:7a4e7d1c-0000-4000-8000-000000000001' } },
        request: { method: 'POST', url: 'Observation' },
      },
    ];
    const response = await store.transaction({ resourceType: 'Bundle', type: 'transaction', entry });
    const [patientAt, observationAt] = response.entry!.map((e) => e.response!.location!.replace(/\/_history\/.*/, ''));
    expect(response.entry!.map((e) => e.response?.status)).toEqual(['201 Created', '201 Created']);
    const observation = await store.read<Observation>('Observation', observationAt!.split('/')[1]!);
    expect(observation.subject).toEqual({ reference: patientAt });
    expect((await search('Observation', { subject: patientAt! })).total).toBe(1);
  });

  it('applies nothing of a transaction when one entry conflicts, and names that entry', async () => {
    const n = caseIds(81);
    await store.transaction(caseBundle(n));
    const conflicting = caseBundle(n, { heartRate: 150, heartRateIfMatch: 'W/"2"' });
    const error = await store.transaction(conflicting).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudError);
    expect((error as CloudError).issues).toEqual([{ field: 'Bundle.entry[2]', problem: `Observation/${n.heartRate}: If-Match W/"2" but the current version is 1` }]);
    for (const [type, id] of [['Patient', n.patient], ['Observation', n.spo2]] as const) expect((await store.read(type, id)).meta?.versionId).toBe('1');
  });

  it('applies a keyed transaction once and answers a repeat with the first response', async () => {
    const n = caseIds(82);
    const first = await store.transaction(caseBundle(n), { idempotencyKey: 'amb/1/abc' });
    const again = await store.transaction(caseBundle(n, { heartRate: 99 }), { idempotencyKey: 'amb/1/abc' });
    expect(again).toEqual(first);
    expect((await store.read<Observation>('Observation', n.heartRate)).valueQuantity?.value).toBe(112);
  });

  it.each([
    { name: 'a Bundle of type batch', bundle: { resourceType: 'Bundle', type: 'batch', entry: [] } },
    { name: 'a DELETE entry carrying a resource', bundle: { resourceType: 'Bundle', type: 'transaction', entry: [{ request: { method: 'DELETE', url: 'Patient/x' }, resource: { resourceType: 'Patient' } }] } },
    { name: 'a PUT whose URL names another type', bundle: { resourceType: 'Bundle', type: 'transaction', entry: [{ request: { method: 'PUT', url: 'Encounter/x' }, resource: { resourceType: 'Patient' } }] } },
    { name: 'an unknown resource type', bundle: { resourceType: 'Bundle', type: 'transaction', entry: [{ request: { method: 'POST', url: 'Spaceship' }, resource: { resourceType: 'Spaceship' } }] } },
    { name: 'an element R4 does not define', bundle: { resourceType: 'Bundle', type: 'transaction', entry: [{ request: { method: 'POST', url: 'Patient' }, resource: { resourceType: 'Patient', shoeSize: 44 } }] } },
  ])('refuses $name as FHIR_INVALID', async ({ bundle }) => {
    expect(await codeOf(store.transaction(bundle as Bundle))).toBe('FHIR_INVALID');
  });
});

describe('search', () => {
  const a = caseIds(90);
  const b = caseIds(91);
  const early = Date.UTC(2025, 6, 1, 8, 0);
  const late = Date.UTC(2025, 6, 2, 8, 0);

  beforeAll(async () => {
    clock = early;
    await store.transaction(caseBundle(a));
    clock = late;
    await store.transaction(caseBundle(b));
  });

  it.each([
    { query: { subject: `Patient/${a.patient}` }, expected: [a.heartRate, a.spo2] },
    { query: { patient: b.patient }, expected: [b.heartRate, b.spo2] },
    { query: { encounter: `Encounter/${b.encounter}` }, expected: [b.heartRate, b.spo2] },
    { query: { _id: `${a.heartRate},${b.spo2}` }, expected: [a.heartRate, b.spo2] },
    { query: { subject: `Patient/${a.patient},Patient/${b.patient}`, code: '59408-5' }, expected: [a.spo2, b.spo2] },
    { query: { subject: `Patient/${a.patient},Patient/${b.patient}`, _lastUpdated: 'ge2025-07-02' }, expected: [b.heartRate, b.spo2] },
    { query: { subject: `Patient/${a.patient},Patient/${b.patient}`, _lastUpdated: 'le2025-07-01T23:59:59Z' }, expected: [a.heartRate, a.spo2] },
  ])('answers Observation?$query with exactly the matches', async ({ query, expected }) => {
    const result = await search('Observation', query);
    expect(result).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: expected.length });
    expect(ids(result)).toEqual([...expected].sort());
  });

  it('pages with _count, counting every match in total, and links to the next page', async () => {
    const router = new FhirRouter(store);
    const query = { subject: `Patient/${a.patient},Patient/${b.patient}`, _count: '3' };
    const first = (await router.handle({ method: 'GET', path: '/Observation', query, baseUrl: BASE })).body as Bundle;
    expect(first.total).toBe(4);
    expect(first.entry).toHaveLength(3);
    expect(first.entry![0]!.fullUrl).toMatch(new RegExp(`^${BASE}/Observation/`));
    const next = new URL(first.link!.find((link) => link.relation === 'next')!.url!);
    const second = (await router.handle({ method: 'GET', path: '/Observation', query: Object.fromEntries(next.searchParams), baseUrl: BASE })).body as Bundle;
    expect(second.entry).toHaveLength(1);
    expect(second.link?.some((link) => link.relation === 'next')).toBe(false);
    expect(new Set([...ids(first), ...ids(second)]).size).toBe(4);
  });

  it('refuses a parameter it cannot answer faithfully instead of ignoring it', async () => {
    expect(await codeOf(search('Observation', { 'made-up': 'x' }))).toBe('FHIR_SEARCH_UNSUPPORTED');
    expect(await codeOf(search('Observation', { _include: 'Observation:subject' }))).toBe('FHIR_SEARCH_UNSUPPORTED');
  });

  it('reads through the router with the version as ETag', async () => {
    const response = await new FhirRouter(store).handle({ method: 'GET', path: `/Observation/${a.heartRate}`, query: {}, baseUrl: BASE });
    expect(response.headers.etag).toBe('W/"1"');
    expect((response.body as Resource).id).toBe(a.heartRate);
  });
});

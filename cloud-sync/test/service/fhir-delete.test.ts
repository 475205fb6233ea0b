import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bundle, BundleEntry, OperationOutcome } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyReceipt, type SignedReceipt } from '@hema3n/cloud-sync/wire';
import type { CaseSummary } from '../../src/dispatch/index.js';
import { FHIR_STORE_FILE } from '../../src/fhir-store/index.js';
import {
  caseBundle,
  caseIds,
  errorCode,
  EventStreamReader,
  getFhir,
  newAppliance,
  pair,
  postEnvelope,
  sealCase,
  startTestCloud,
  tempStateDir,
  type CaseIds,
  type ServerEvent,
  type TestAppliance,
  type TestCloud,
} from './helpers.js';

/** A photo of the wrong patient: its Media and Binary arrive in a case bundle, then the appliance deletes it. */
interface Photo {
  mediaId: string;
  binaryId: string;
  bytes: Buffer;
}

function newPhoto(n: number): Photo {
  const suffix = n.toString(16).padStart(12, '0');
  // Random bytes: any slice of their base64 occurs nowhere else in the store's files.
  return { mediaId: `4e7c2a10-0000-5000-8000-${suffix}`, binaryId: `5e7c2a10-0000-5000-8000-${suffix}`, bytes: randomBytes(96 * 1024) };
}

/** The case bundle that carries the photo: Media (pointing at the Binary) and the Binary with the bytes, both PUT. */
function bundleWithPhoto(ids: CaseIds, photo: Photo): Bundle {
  const extra: BundleEntry[] = [
    {
      fullUrl: `urn:uuid:${photo.mediaId}`,
      resource: {
        resourceType: 'Media',
        id: photo.mediaId,
        status: 'completed',
        subject: { reference: `Patient/${ids.patient}` },
        content: { contentType: 'image/jpeg', url: `Binary/${photo.binaryId}`, size: photo.bytes.length },
      },
      request: { method: 'PUT', url: `Media/${photo.mediaId}` },
    },
    {
      fullUrl: `urn:uuid:${photo.binaryId}`,
      resource: { resourceType: 'Binary', id: photo.binaryId, contentType: 'image/jpeg', data: photo.bytes.toString('base64') },
      request: { method: 'PUT', url: `Binary/${photo.binaryId}` },
    },
  ];
  return caseBundle(ids, { extra });
}

const deleteEntry = (url: string): BundleEntry => ({ request: { method: 'DELETE', url } });

/** The appliance's next bundle after the deletion: the two DELETE entries first, then the case as usual. */
function bundleDeleting(ids: CaseIds, photo: Photo): Bundle {
  const rest = caseBundle(ids, { heartRate: 118 });
  return { ...rest, entry: [deleteEntry(`Media/${photo.mediaId}`), deleteEntry(`Binary/${photo.binaryId}`), ...rest.entry!] };
}

/** A distinctive piece of the photo as the store keeps it (base64 inside the Binary's JSON). */
const storedForm = (photo: Photo): Buffer => Buffer.from(photo.bytes.toString('base64').slice(40_000, 40_096));

/** The raw bytes of the embedded store: the database file and its write-ahead log. */
function storeFilesContain(stateDir: string, needle: Buffer): boolean {
  return [FHIR_STORE_FILE, `${FHIR_STORE_FILE}-wal`].some((name) => {
    const path = join(stateDir, name);
    return existsSync(path) && readFileSync(path).includes(needle);
  });
}

const summaryOf = (event: ServerEvent): CaseSummary => (event.data as { case: CaseSummary }).case;
const caseUpdate = (caseId: string) => (event: ServerEvent) => event.event === 'case' && summaryOf(event).caseId === caseId;

async function acceptedOutcome(cloud: TestCloud, response: Response): Promise<unknown> {
  expect(response.status).toBe(200);
  return (await verifyReceipt((await response.json()) as SignedReceipt, cloud.service.identity.signPublicKey)).outcome;
}

async function postFhirTransaction<T = Bundle>(url: string, bundle: Bundle): Promise<{ status: number; body: T }> {
  const response = await fetch(`${url}/fhir/R4`, { method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body: JSON.stringify(bundle) });
  return { status: response.status, body: (await response.json()) as T };
}

describe('DELETE entries in case bundles, embedded store', () => {
  let state: ReturnType<typeof tempStateDir>;
  let cloud: TestCloud;
  let appliance: TestAppliance;
  let stream: EventStreamReader;
  let sequence = 0;
  const ids = caseIds(200);
  const photo = newPhoto(1);
  const caseId = 'case-delete';
  let deletingEnvelope: Uint8Array;

  beforeAll(async () => {
    state = tempStateDir();
    cloud = await startTestCloud(state.dir);
    appliance = await newAppliance('amb-0051');
    await pair(cloud, appliance);
    stream = await EventStreamReader.open(`${cloud.url}/dispatch/events`);
  });

  afterAll(async () => {
    await stream?.close();
    await cloud?.service.stop();
    state?.remove();
  });

  it('first store the photo of a case bundle and show it on the board', async () => {
    const response = await postEnvelope(cloud.url, await sealCase(cloud, appliance, ++sequence, caseId, bundleWithPhoto(ids, photo)));
    expect(await acceptedOutcome(cloud, response)).toEqual({ status: 'accepted' });
    expect(summaryOf(await stream.next(caseUpdate(caseId))).photos).toEqual([{ binaryId: photo.binaryId, contentType: 'image/jpeg' }]);
    const served = await fetch(`${cloud.url}/dispatch/photos/${photo.binaryId}`);
    expect(Buffer.from(await served.arrayBuffer()).equals(photo.bytes)).toBe(true);
    expect((await getFhir<Bundle>(cloud.url, `Media?subject=Patient/${ids.patient}`)).body.total).toBe(1);
    expect(storeFilesContain(state.dir, storedForm(photo))).toBe(true);
  });

  it('remove Media and Binary with their history, their bytes from the store’s files, and the photo from the board', async () => {
    deletingEnvelope = await sealCase(cloud, appliance, ++sequence, caseId, bundleDeleting(ids, photo));
    expect(await acceptedOutcome(cloud, await postEnvelope(cloud.url, deletingEnvelope))).toEqual({ status: 'accepted' });

    for (const path of [`Binary/${photo.binaryId}`, `Media/${photo.mediaId}`, `Binary/${photo.binaryId}/_history`, `Binary/${photo.binaryId}/_history/1`]) {
      const response = await fetch(`${cloud.url}/fhir/R4/${path}`);
      expect({ path, status: response.status, code: await errorCode(response) }).toEqual({ path, status: 404, code: 'FHIR_NOT_FOUND' });
    }
    expect((await getFhir<Bundle>(cloud.url, `Media?subject=Patient/${ids.patient}`)).body.total).toBe(0);
    expect((await getFhir<Bundle>(cloud.url, `Binary?_id=${photo.binaryId}`)).body.total).toBe(0);
    expect(storeFilesContain(state.dir, storedForm(photo))).toBe(false);

    expect(summaryOf(await stream.next(caseUpdate(caseId))).photos).toEqual([]);
    const photoRoute = await fetch(`${cloud.url}/dispatch/photos/${photo.binaryId}`);
    expect(photoRoute.status).toBe(404);
    expect(await errorCode(photoRoute)).toBe('NOT_FOUND');
    // The rest of the bundle was applied with the deletions.
    expect((await getFhir(cloud.url, `Observation/${ids.heartRate}`)).body).toMatchObject({ meta: { versionId: '2' }, valueQuantity: { value: 118 } });
  });

  it('accept the same deletions again, in a new envelope or as the same bytes', async () => {
    const resent = await postEnvelope(cloud.url, await sealCase(cloud, appliance, ++sequence, caseId, bundleDeleting(ids, photo)));
    expect(await acceptedOutcome(cloud, resent)).toEqual({ status: 'accepted' });
    const replayed = await postEnvelope(cloud.url, deletingEnvelope);
    expect(replayed.headers.get('hema3n-intake')).toBe('replayed');
    expect(await acceptedOutcome(cloud, replayed)).toEqual({ status: 'accepted' });
    expect((await getFhir(cloud.url, `Binary/${photo.binaryId}`)).status).toBe(404);
  });

  it('accept the deletion of a resource never stored, answering 204 No Content in the transaction response', async () => {
    const never = newPhoto(2);
    const envelope = await sealCase(cloud, appliance, ++sequence, caseId, { resourceType: 'Bundle', type: 'transaction', entry: [deleteEntry(`Media/${never.mediaId}`), deleteEntry(`Binary/${never.binaryId}`)] });
    expect(await acceptedOutcome(cloud, await postEnvelope(cloud.url, envelope))).toEqual({ status: 'accepted' });
    const direct = await postFhirTransaction(cloud.url, { resourceType: 'Bundle', type: 'transaction', entry: [deleteEntry(`Binary/${never.binaryId}`)] });
    expect(direct.status).toBe(200);
    expect(direct.body).toEqual({ resourceType: 'Bundle', type: 'transaction-response', entry: [{ response: { status: '204 No Content' } }] });
  });

  it('refuse a DELETE carrying a resource or with a bad url as FHIR_INVALID naming the entry, and store nothing of that bundle', async () => {
    const other = caseIds(201);
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { resource: { resourceType: 'Binary', id: 'b-1', contentType: 'image/jpeg' }, request: { method: 'DELETE', url: 'Binary/b-1' } },
        deleteEntry('Binary'),
        deleteEntry('Binary?_id=b-2'),
        ...caseBundle(other).entry!,
      ],
    };
    const response = await postEnvelope(cloud.url, await sealCase(cloud, appliance, ++sequence, caseId, bundle));
    expect(response.status).toBe(422);
    const outcome = (await response.json()) as OperationOutcome;
    expect(outcome.issue.map((issue) => issue.details?.coding?.[0]?.code)).toEqual(['FHIR_INVALID', 'FHIR_INVALID', 'FHIR_INVALID']);
    expect(outcome.issue.map((issue) => issue.expression?.[0])).toEqual(['Bundle.entry[0].resource', 'Bundle.entry[1].request.url', 'Bundle.entry[2].request.url']);
    expect((await getFhir(cloud.url, `Patient/${other.patient}`)).status).toBe(404);
  });

  it('conflict when an If-Match on a DELETE does not name the current version, and delete nothing', async () => {
    const kept = newPhoto(3);
    expect((await postFhirTransaction(cloud.url, bundleWithPhoto(caseIds(202), kept))).status).toBe(200);
    const response = await postFhirTransaction<OperationOutcome>(cloud.url, {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [deleteEntry(`Media/${kept.mediaId}`), { request: { method: 'DELETE', url: `Binary/${kept.binaryId}`, ifMatch: 'W/"4"' } }],
    });
    expect(response.status).toBe(409);
    expect(response.body.issue[0]).toMatchObject({ expression: ['Bundle.entry[1]'], diagnostics: `Binary/${kept.binaryId}: If-Match W/"4" but the current version is 1` });
    expect((await getFhir(cloud.url, `Media/${kept.mediaId}`)).status).toBe(200);
  });
});

describe('DELETE entries in case bundles, external FHIR server', () => {
  let states: ReturnType<typeof tempStateDir>[];
  let fhirServer: TestCloud;
  let cloud: TestCloud;
  let appliance: TestAppliance;
  const ids = caseIds(210);
  const photo = newPhoto(10);

  beforeAll(async () => {
    states = [tempStateDir(), tempStateDir()];
    fhirServer = await startTestCloud(states[0]!.dir);
    cloud = await startTestCloud(states[1]!.dir, { HEMA3N_FHIR_URL: `${fhirServer.url}/fhir/R4` });
    appliance = await newAppliance('amb-0052');
    await pair(cloud, appliance);
  });

  afterAll(async () => {
    await cloud?.service.stop();
    await fhirServer?.service.stop();
    for (const state of states ?? []) state.remove();
  });

  it('are passed on as they are, so the server deletes the photo too', async () => {
    const stored = await postEnvelope(cloud.url, await sealCase(cloud, appliance, 1, 'case-ext', bundleWithPhoto(ids, photo)));
    expect(await acceptedOutcome(cloud, stored)).toEqual({ status: 'accepted' });
    expect((await getFhir(fhirServer.url, `Binary/${photo.binaryId}`)).status).toBe(200);
    expect((await fetch(`${cloud.url}/dispatch/photos/${photo.binaryId}`)).status).toBe(200);

    const deleted = await postEnvelope(cloud.url, await sealCase(cloud, appliance, 2, 'case-ext', bundleDeleting(ids, photo)));
    expect(await acceptedOutcome(cloud, deleted)).toEqual({ status: 'accepted' });
    for (const path of [`Binary/${photo.binaryId}`, `Media/${photo.mediaId}`, `Binary/${photo.binaryId}/_history`]) expect((await getFhir(fhirServer.url, path)).status).toBe(404);
    expect(storeFilesContain(states[0]!.dir, storedForm(photo))).toBe(false);
    expect((await fetch(`${cloud.url}/dispatch/photos/${photo.binaryId}`)).status).toBe(404);
  });
});

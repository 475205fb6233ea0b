import type { Bundle, Observation } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignedReceipt } from '@hema3n/cloud-sync/wire';
import {
  caseBundle,
  caseIds,
  errorCode,
  EventStreamReader,
  getFhir,
  newAppliance,
  pair,
  postEnvelope,
  runCli,
  sealAlert,
  sealCase,
  startTestCloud,
  tempStateDir,
  type TestAppliance,
  type TestCloud,
} from './helpers.js';

describe('a restart of the service on the same state directory', () => {
  const ids = caseIds(40);
  let state: ReturnType<typeof tempStateDir>;
  let before: TestCloud;
  let after: TestCloud;
  let appliance: TestAppliance;
  let revoked: TestAppliance;
  let caseEnvelope: Uint8Array;
  let caseReceipt: SignedReceipt;
  let observationBefore: Observation;

  beforeAll(async () => {
    state = tempStateDir();
    before = await startTestCloud(state.dir);
    appliance = await newAppliance('amb-restart');
    revoked = await newAppliance('amb-gone');
    await pair(before, appliance);
    await pair(before, revoked);
    await runCli(['appliances', 'revoke', 'amb-gone'], before.env);
    caseEnvelope = await sealCase(before, appliance, 1, 'case-40', caseBundle(ids));
    caseReceipt = (await (await postEnvelope(before.url, caseEnvelope)).json()) as SignedReceipt;
    expect((await postEnvelope(before.url, await sealAlert(before, appliance, 2, { caseId: 'case-40', acuity: 1, latestVitals: [], eta: null }))).status).toBe(200);
    observationBefore = (await getFhir<Observation>(before.url, `Observation/${ids.heartRate}`)).body;
    await before.service.stop();
    after = await startTestCloud(state.dir);
  });

  afterAll(async () => {
    await after?.service.stop();
    state?.remove();
  });

  it('keeps the cloud identity', () => {
    expect(after.service.identity).toEqual(before.service.identity);
  });

  it('keeps every stored resource with its version and update time', async () => {
    expect((await getFhir<Observation>(after.url, `Observation/${ids.heartRate}`)).body).toEqual(observationBefore);
    const search = await getFhir<Bundle>(after.url, `Observation?subject=Patient/${ids.patient}`);
    expect(search.body.total).toBe(2);
  });

  it('keeps the replay state: an old envelope gets its first receipt again and changes nothing', async () => {
    const response = await postEnvelope(after.url, caseEnvelope);
    expect(response.headers.get('hema3n-intake')).toBe('replayed');
    expect(await response.json()).toEqual(caseReceipt);
    expect((await getFhir<Observation>(after.url, `Observation/${ids.heartRate}`)).body.meta).toEqual(observationBefore.meta);
  });

  it('keeps the registry: the paired appliance is heard, the revoked one refused', async () => {
    const next = await postEnvelope(after.url, await sealAlert(after, appliance, 3, { caseId: 'case-40', acuity: 1, latestVitals: [], eta: null }));
    expect(next.status).toBe(200);
    const refused = await postEnvelope(after.url, await sealAlert(after, revoked, 1, { caseId: 'case-41', acuity: 1, latestVitals: [], eta: null }));
    expect(await errorCode(refused)).toBe('APPLIANCE_REVOKED');
  });

  it('keeps the dispatch board', async () => {
    const stream = await EventStreamReader.open(`${after.url}/dispatch/events`);
    try {
      const snapshot = await stream.next((event) => event.event === 'snapshot');
      expect((snapshot.data as { cases: unknown[] }).cases).toEqual([expect.objectContaining({ applianceId: 'amb-restart', caseId: 'case-40', acuity: 1 })]);
    } finally {
      await stream.close();
    }
  });
});

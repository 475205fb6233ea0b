import type { Bundle, Observation, OperationOutcome } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envelopeSha256, generateBoxKeyPair, verifyReceipt, type SignedReceipt } from '@hema3n/cloud-sync/wire';
import {
  caseBundle,
  caseIds,
  errorCode,
  getFhir,
  json,
  newAppliance,
  pair,
  postEnvelope,
  runCli,
  seal,
  sealAlert,
  sealCase,
  startTestCloud,
  tempStateDir,
  type TestAppliance,
  type TestCloud,
} from './helpers.js';

let state: ReturnType<typeof tempStateDir>;
let cloud: TestCloud;
let appliance: TestAppliance;
/** The cloud's receipt key as `hema3n-cloud identity` prints it: what an appliance is configured with. */
let cloudSignKey: string;
let sequence = 0;
const nextSequence = (): number => ++sequence;

beforeAll(async () => {
  state = tempStateDir();
  cloud = await startTestCloud(state.dir);
  appliance = await newAppliance('amb-0042');
  await pair(cloud, appliance);
  const identity = await runCli(['identity', '--json'], cloud.env);
  cloudSignKey = (JSON.parse(identity.stdout) as { signPublicKey: string }).signPublicKey;
});

afterAll(async () => {
  await cloud?.service.stop();
  state?.remove();
});

async function accepted(envelope: Uint8Array): Promise<SignedReceipt> {
  const response = await postEnvelope(cloud.url, envelope);
  expect(response.status).toBe(200);
  return (await response.json()) as SignedReceipt;
}

async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${cloud.url}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(name))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

describe('a case bundle envelope from a paired appliance', () => {
  const ids = caseIds(1);
  let envelope: Uint8Array;
  let first: SignedReceipt;

  beforeAll(async () => {
    envelope = await sealCase(cloud, appliance, nextSequence(), 'case-1', caseBundle(ids));
    first = await accepted(envelope);
  });

  it('is answered with a receipt that verifies with the key `identity` prints and names this envelope', async () => {
    const receipt = await verifyReceipt(first, cloudSignKey);
    expect(receipt).toMatchObject({ applianceId: 'amb-0042', sequence: 1, envelopeSha256: envelopeSha256(envelope), outcome: { status: 'accepted' } });
  });

  it('stores every resource of the bundle under its own id, at version 1, readable at /fhir/R4', async () => {
    for (const [type, id] of [['Patient', ids.patient], ['Encounter', ids.encounter], ['Observation', ids.heartRate], ['Observation', ids.spo2]] as const) {
      const { status, body } = await getFhir(cloud.url, `${type}/${id}`);
      expect(status).toBe(200);
      expect(body).toMatchObject({ resourceType: type, id, meta: { versionId: '1' } });
    }
  });

  it.each([
    ['subject', `Patient/${ids.patient}`],
    ['patient', `Patient/${ids.patient}`],
    ['patient', ids.patient],
    ['encounter', `Encounter/${ids.encounter}`],
  ])('finds its observations by %s=%s', async (param, value) => {
    const { status, body } = await getFhir<Bundle>(cloud.url, `Observation?${param}=${encodeURIComponent(value)}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 2 });
    expect(body.entry?.map((e) => e.resource?.id).sort()).toEqual([ids.heartRate, ids.spo2].sort());
  });

  it('answers a replay with the identical receipt and changes nothing', async () => {
    const before = await getFhir<Observation>(cloud.url, `Observation/${ids.heartRate}`);
    const response = await postEnvelope(cloud.url, envelope);
    expect(response.status).toBe(200);
    expect(response.headers.get('hema3n-intake')).toBe('replayed');
    expect(await response.json()).toEqual(first);
    const after = await getFhir<Observation>(cloud.url, `Observation/${ids.heartRate}`);
    expect(after.body.meta).toEqual(before.body.meta);
  });
});

describe('replays of old envelopes', () => {
  it('answers 1,000 of them, each with its own stored receipt, and changes nothing', async () => {
    const ids = caseIds(2);
    const envelopes = [await sealCase(cloud, appliance, nextSequence(), 'case-2', caseBundle(ids))];
    for (let i = 0; i < 3; i++) envelopes.push(await sealAlert(cloud, appliance, nextSequence(), { caseId: 'case-2', acuity: 2, latestVitals: [], eta: null }));
    const receipts = [];
    for (const envelope of envelopes) receipts.push(await accepted(envelope));
    const acceptedBefore = await metric('hema3n_cloud_envelopes_accepted_total');
    const replaysBefore = await metric('hema3n_cloud_replays_total');
    const observation = await getFhir<Observation>(cloud.url, `Observation/${ids.heartRate}`);

    for (let i = 0; i < 1000; i++) {
      const response = await postEnvelope(cloud.url, envelopes[i % envelopes.length]!);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual(receipts[i % envelopes.length]);
    }

    expect(await metric('hema3n_cloud_envelopes_accepted_total')).toBe(acceptedBefore);
    expect(await metric('hema3n_cloud_replays_total')).toBe(replaysBefore + 1000);
    expect((await getFhir<Observation>(cloud.url, `Observation/${ids.heartRate}`)).body.meta).toEqual(observation.body.meta);
    const list = await runCli(['appliances', 'list', '--json'], cloud.env);
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ applianceId: 'amb-0042', highestSequence: sequence })]);
  });
});

describe('envelopes the cloud refuses', () => {
  let revoked: TestAppliance;
  let stranger: TestAppliance;
  let otherCloudBoxKey: string;

  beforeAll(async () => {
    revoked = await newAppliance('amb-0666');
    await pair(cloud, revoked);
    const revoke = await runCli(['appliances', 'revoke', 'amb-0666', '--json'], cloud.env);
    expect(revoke.code).toBe(0);
    stranger = await newAppliance('amb-unknown');
    otherCloudBoxKey = (await generateBoxKeyPair()).publicKey;
  });

  const bundleFor = (n: number): Bundle => caseBundle(caseIds(n));
  const flip = (bytes: Uint8Array, at: number): Uint8Array => {
    const copy = bytes.slice();
    copy[at] = copy[at]! ^ 0x01;
    return copy;
  };

  it.each([
    { name: 'a changed byte', n: 10, status: 401, code: 'ENVELOPE_SIGNATURE_INVALID', make: async () => flip(await sealCase(cloud, appliance, 50, 'c10', bundleFor(10)), 200) },
    { name: 'an unknown appliance', n: 11, status: 403, code: 'ENVELOPE_SIGNER_UNKNOWN', make: () => sealCase(cloud, stranger, 1, 'c11', bundleFor(11)) },
    { name: 'a revoked appliance', n: 12, status: 403, code: 'APPLIANCE_REVOKED', make: () => sealCase(cloud, revoked, 1, 'c12', bundleFor(12)) },
    {
      name: 'an envelope sealed to another cloud',
      n: 13,
      status: 400,
      code: 'ENVELOPE_DECRYPT_FAILED',
      make: () => seal(cloud, appliance, { kind: 'case-bundle', sequence: 51, payload: json({ kind: 'case-bundle', caseId: 'c13', bundle: bundleFor(13) }), recipientBoxPublicKey: otherCloudBoxKey }),
    },
    { name: 'bytes that are not an envelope', n: 14, status: 400, code: 'ENVELOPE_MALFORMED', make: async () => new TextEncoder().encode(JSON.stringify(bundleFor(14))) },
    { name: 'a truncated envelope', n: 15, status: 400, code: 'ENVELOPE_TRUNCATED', make: async () => (await sealCase(cloud, appliance, 52, 'c15', bundleFor(15))).subarray(0, 300) },
    { name: 'an envelope over the size limit', n: 16, status: 413, code: 'ENVELOPE_TOO_LARGE', make: async () => new Uint8Array(33 * 1024 * 1024 + 1) },
    {
      name: 'a payload whose kind is not the header kind',
      n: 17,
      status: 400,
      code: 'PAYLOAD_INVALID',
      make: () => seal(cloud, appliance, { kind: 'alert', sequence: 53, payload: json({ kind: 'case-bundle', caseId: 'c17', bundle: bundleFor(17) }) }),
    },
    { name: 'a different envelope under an accepted sequence', n: 18, status: 409, code: 'ENVELOPE_SEQUENCE_REUSED', make: () => sealCase(cloud, appliance, 1, 'c18', bundleFor(18)) },
  ])('refuses $name with $status $code and stores nothing of it', async ({ n, status, code, make }) => {
    const acceptedBefore = await metric('hema3n_cloud_envelopes_accepted_total');
    const response = await postEnvelope(cloud.url, await make());
    expect(response.status).toBe(status);
    expect(await errorCode(response)).toBe(code);
    expect((await getFhir(cloud.url, `Patient/${caseIds(n).patient}`)).status).toBe(404);
    expect(await metric('hema3n_cloud_envelopes_accepted_total')).toBe(acceptedBefore);
    expect(await metric(`hema3n_cloud_envelopes_rejected_total{code="${code}"}`)).toBeGreaterThan(0);
  });

  it('sends a signed rejection receipt with a refusal of an authentic envelope, so the appliance stops retrying it', async () => {
    const envelope = await sealCase(cloud, appliance, 1, 'c19', bundleFor(19));
    const response = await postEnvelope(cloud.url, envelope);
    const header = response.headers.get('hema3n-receipt');
    expect(header).not.toBeNull();
    const receipt = await verifyReceipt(JSON.parse(Buffer.from(header!, 'base64url').toString('utf8')), cloudSignKey);
    expect(receipt).toMatchObject({ sequence: 1, envelopeSha256: envelopeSha256(envelope), outcome: { status: 'rejected', code: 'ENVELOPE_SEQUENCE_REUSED' } });
  });

  it('refuses a never-accepted sequence below the replay window as ENVELOPE_STALE', async () => {
    const late = await newAppliance('amb-0077');
    await pair(cloud, late);
    await accepted(await sealAlert(cloud, late, 500, { caseId: 'c20', acuity: 3, latestVitals: [], eta: null }));
    const response = await postEnvelope(cloud.url, await sealAlert(cloud, late, 10, { caseId: 'c20', acuity: 3, latestVitals: [], eta: null }));
    expect(response.status).toBe(409);
    expect(await errorCode(response)).toBe('ENVELOPE_STALE');
  });
});

describe('FHIR checks on a case bundle', () => {
  it('refuses a bundle with an invalid resource with 422 FHIR_INVALID naming the element, and stores none of the bundle', async () => {
    const ids = caseIds(30);
    const bundle = caseBundle(ids);
    (bundle.entry![2]!.resource as Observation).valueQuantity = { value: 'fast' as unknown as number };
    const envelope = await sealCase(cloud, appliance, nextSequence(), 'case-30', bundle);
    const response = await postEnvelope(cloud.url, envelope);
    expect(response.status).toBe(422);
    const outcome = (await response.json()) as OperationOutcome;
    expect(outcome.issue[0]).toMatchObject({ severity: 'error', details: { coding: [{ code: 'FHIR_INVALID' }] }, expression: ['Bundle.entry[2].resource.value[x].value'] });
    for (const id of [ids.patient, ids.encounter]) expect((await getFhir(cloud.url, `${id === ids.patient ? 'Patient' : 'Encounter'}/${id}`)).status).toBe(404);
    const receipt = await verifyReceipt(JSON.parse(Buffer.from(response.headers.get('hema3n-receipt')!, 'base64url').toString('utf8')), cloudSignKey);
    expect(receipt.outcome).toEqual({ status: 'rejected', code: 'FHIR_INVALID' });
  });

  it('refuses an If-Match on a version that is not current with 409 FHIR_CONFLICT naming the resource, and writes nothing', async () => {
    const ids = caseIds(31);
    await accepted(await sealCase(cloud, appliance, nextSequence(), 'case-31', caseBundle(ids)));
    const stale = await sealCase(cloud, appliance, nextSequence(), 'case-31', caseBundle(ids, { heartRate: 130, heartRateIfMatch: 'W/"7"' }));
    const response = await postEnvelope(cloud.url, stale);
    expect(response.status).toBe(409);
    const outcome = (await response.json()) as OperationOutcome;
    expect(outcome.issue).toHaveLength(1);
    expect(outcome.issue[0]).toMatchObject({ code: 'conflict', details: { coding: [{ code: 'FHIR_CONFLICT' }] }, expression: ['Bundle.entry[2]'] });
    expect(outcome.issue[0]!.diagnostics).toContain(`Observation/${ids.heartRate}`);
    for (const id of [ids.heartRate, ids.spo2]) expect((await getFhir<Observation>(cloud.url, `Observation/${id}`)).body.meta?.versionId).toBe('1');
  });

  it('applies a bundle whose If-Match names the current version, and the version moves on', async () => {
    const ids = caseIds(31);
    await accepted(await sealCase(cloud, appliance, nextSequence(), 'case-31', caseBundle(ids, { heartRate: 128, heartRateIfMatch: 'W/"1"' })));
    const { body } = await getFhir<Observation>(cloud.url, `Observation/${ids.heartRate}`);
    expect(body.meta?.versionId).toBe('2');
    expect(body.valueQuantity?.value).toBe(128);
  });
});

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Bundle, Observation, OperationOutcome } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyReceipt, type SignedReceipt } from '@hema3n/cloud-sync/wire';
import { caseBundle, caseIds, errorCode, newAppliance, pair, postEnvelope, sealCase, startTestCloud, tempStateDir, type TestAppliance, type TestCloud } from './helpers.js';

/**
 * Instance B is an embedded FHIR server (its /fhir/R4 needs a bearer token); instance A has no
 * store of its own and writes through to B with HEMA3N_FHIR_URL. Real HTTP both ways.
 */
const FHIR_TOKEN = 'fhir-api-token-for-tests-0123456789';

let states: ReturnType<typeof tempStateDir>[];
let fhirServer: TestCloud;
let fhirBase: string;
const clouds: TestCloud[] = [];

beforeAll(async () => {
  states = [tempStateDir(), tempStateDir(), tempStateDir(), tempStateDir()];
  fhirServer = await startTestCloud(states[0]!.dir, { HEMA3N_CLOUD_FHIR_API_TOKEN: FHIR_TOKEN });
  fhirBase = `${fhirServer.url}/fhir/R4`;
});

afterAll(async () => {
  for (const cloud of clouds) await cloud.service.stop();
  await fhirServer?.service.stop();
  for (const state of states ?? []) state.remove();
});

async function readFromServer<T>(path: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`${fhirBase}/${path}`, { headers: { authorization: `Bearer ${FHIR_TOKEN}` } });
  return { status: response.status, body: (await response.json()) as T };
}

async function cloudWriting(stateIndex: number, env: Record<string, string>): Promise<{ cloud: TestCloud; appliance: TestAppliance }> {
  const cloud = await startTestCloud(states[stateIndex]!.dir, { HEMA3N_FHIR_URL: fhirBase, ...env });
  clouds.push(cloud);
  const appliance = await newAppliance(`amb-ext-${stateIndex}`);
  await pair(cloud, appliance);
  return { cloud, appliance };
}

describe('the FHIR server guarded by a bearer token', () => {
  it('refuses a read without the token with 401 FHIR_UNAUTHORIZED', async () => {
    const response = await fetch(`${fhirBase}/Patient?_count=1`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(await errorCode(response)).toBe('FHIR_UNAUTHORIZED');
  });
});

describe('a cloud writing to an external FHIR server with a bearer token', () => {
  let cloud: TestCloud;
  let appliance: TestAppliance;
  const ids = caseIds(70);

  beforeAll(async () => {
    ({ cloud, appliance } = await cloudWriting(1, { HEMA3N_FHIR_TOKEN: FHIR_TOKEN }));
  });

  it('writes the case bundle through, then sends its receipt', async () => {
    const response = await postEnvelope(cloud.url, await sealCase(cloud, appliance, 1, 'case-70', caseBundle(ids)));
    expect(response.status).toBe(200);
    expect((await verifyReceipt((await response.json()) as SignedReceipt, cloud.service.identity.signPublicKey)).outcome).toEqual({ status: 'accepted' });
    const search = await readFromServer<Bundle>(`Observation?subject=Patient/${ids.patient}`);
    expect(search.body.total).toBe(2);
    expect((await readFromServer<Observation>(`Observation/${ids.heartRate}`)).body.meta?.versionId).toBe('1');
  });

  it("passes on the server's version conflict as 409 FHIR_CONFLICT naming the resource", async () => {
    const response = await postEnvelope(cloud.url, await sealCase(cloud, appliance, 2, 'case-70', caseBundle(ids, { heartRateIfMatch: 'W/"9"' })));
    expect(response.status).toBe(409);
    const outcome = (await response.json()) as OperationOutcome;
    expect(outcome.issue[0]).toMatchObject({ details: { coding: [{ code: 'FHIR_CONFLICT' }] }, expression: ['Bundle.entry[2]'] });
    expect(outcome.issue[0]!.diagnostics).toContain(`Observation/${ids.heartRate}`);
  });

  it('serves no FHIR API of its own', async () => {
    expect((await fetch(`${cloud.url}/fhir/R4/Observation/${ids.heartRate}`)).status).toBe(404);
  });
});

describe('a cloud whose FHIR credentials are refused', () => {
  it('answers 502 FHIR_UPSTREAM_FAILED without a receipt and accepts nothing, so the appliance retries later', async () => {
    const { cloud, appliance } = await cloudWriting(2, { HEMA3N_FHIR_TOKEN: 'not-the-right-token-at-all' });
    const ids = caseIds(71);
    const response = await postEnvelope(cloud.url, await sealCase(cloud, appliance, 1, 'case-71', caseBundle(ids)));
    expect(response.status).toBe(502);
    expect(response.headers.get('hema3n-receipt')).toBeNull();
    expect(await errorCode(response)).toBe('FHIR_UPSTREAM_FAILED');
    expect((await readFromServer(`Patient/${ids.patient}`)).status).toBe(404);
  });
});

describe('a cloud using OAuth client credentials', () => {
  let tokenServer: Server;
  let tokenRequests: string[];

  beforeAll(async () => {
    tokenRequests = [];
    // A minimal authorization server: checks client_secret_basic, issues the FHIR server's token for an hour.
    tokenServer = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        tokenRequests.push(body);
        const expected = `Basic ${Buffer.from('hema3n-cloud:s3cret').toString('base64')}`;
        response.setHeader('content-type', 'application/json');
        if (request.headers.authorization !== expected || new URLSearchParams(body).get('grant_type') !== 'client_credentials') {
          response.statusCode = 401;
          response.end(JSON.stringify({ error: 'invalid_client' }));
          return;
        }
        response.end(JSON.stringify({ access_token: FHIR_TOKEN, token_type: 'Bearer', expires_in: 3600 }));
      });
    });
    await new Promise<void>((done) => tokenServer.listen(0, '127.0.0.1', done));
  });

  afterAll(async () => {
    await new Promise((done) => tokenServer.close(done));
  });

  it('fetches a token once and reuses it for the next write while it is valid', async () => {
    const tokenUrl = `http://127.0.0.1:${(tokenServer.address() as AddressInfo).port}/token`;
    const { cloud, appliance } = await cloudWriting(3, { HEMA3N_FHIR_CLIENT_ID: 'hema3n-cloud', HEMA3N_FHIR_CLIENT_SECRET: 's3cret', HEMA3N_FHIR_TOKEN_URL: tokenUrl });
    for (const [sequence, n] of [[1, 72], [2, 73]] as const) {
      const response = await postEnvelope(cloud.url, await sealCase(cloud, appliance, sequence, `case-${n}`, caseBundle(caseIds(n))));
      expect(response.status).toBe(200);
      expect((await readFromServer(`Patient/${caseIds(n).patient}`)).status).toBe(200);
    }
    expect(tokenRequests).toHaveLength(1);
  });
});

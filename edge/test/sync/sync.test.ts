import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureIdentity } from '../../src/identity/index.js';
import { buildScenario, playScenario, type DeviceCredentials } from '../../src/simulate/index.js';
import { startTestAppliance, type TestAppliance } from '../support/appliance.js';
import { fhirSearch, pairAppliance, startTestCloud, type TestCloud } from '../support/cloud.js';
import { waitUntil } from '../support/mqtt.js';
import { useTempDirs } from '../support/temp.js';

const tempDir = useTempDirs();
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The identity the appliance will sign with, paired with the cloud before any data flows. */
async function pairedAppliance(cloud: TestCloud, env: Record<string, string>): Promise<TestAppliance> {
  const appliance = await startTestAppliance(tempDir(), { HEMA3N_SYNC_INTERVAL_MS: '300', ...env });
  cleanups.push(() => appliance.stop());
  const identity = await ensureIdentity({
    store: appliance.appliance.store.store,
    audit: appliance.appliance.audit.audit,
    mode: 'development',
    actor: 'test',
    now: Date.now,
    warn: () => {},
  });
  await pairAppliance(cloud.stateDir, identity.applianceId, identity.signPublicKey);
  return appliance;
}

async function playCase(t: TestAppliance, scenarioName: 'stemi' | 'normal', seconds = 300): Promise<{ caseId: string; vitalRows: number }> {
  const { id: caseId } = t.appliance.store.store.cases.create({ actor: 'test', now: Date.now() });
  const scenario = buildScenario(scenarioName, { durationSeconds: seconds, seed: 3, startAt: Date.now() - seconds * 1000 });
  const devices = new Map<string, DeviceCredentials>();
  for (const d of scenario.devices) devices.set(d.idSuffix, await t.addDevice(`${scenarioName}-${d.idSuffix}-${caseId.slice(0, 4)}`, d.kind));
  await playScenario(scenario, { mqttUrl: t.mqttUrl, devices, playSeconds: 2 });
  return { caseId, vitalRows: t.appliance.store.store.vitals.forCase(caseId).length };
}

/** Every vital-sign Observation id the edge would produce for the case, from its own mapping. */
async function expectedObservationCount(t: TestAppliance, caseId: string): Promise<number> {
  const { caseToBundle, snapshotFromStore } = await import('../../src/fhir/index.js');
  const identity = t.appliance.store.store.identity.get()!;
  const bundle = caseToBundle(snapshotFromStore(t.appliance.store.store, caseId, identity.applianceId));
  return bundle.entry!.filter((e) => e.resource!.resourceType === 'Observation').length;
}

async function syncedEverything(t: TestAppliance, cloud: TestCloud, caseId: string): Promise<void> {
  const expected = await expectedObservationCount(t, caseId);
  await waitUntil(() => t.appliance.store.store.sync.counts().pending === 0, 60_000);
  const { total, ids } = await fhirSearch(cloud.url, 'Observation');
  expect(new Set(ids).size).toBe(ids.length);
  expect(total).toBe(expected);
}

describe('sync to the cloud', () => {
  it('end to end: a simulated STEMI reaches the dispatch stream and the FHIR server as a valid bundle', async () => {
    const cloud = await startTestCloud(tempDir());
    cleanups.push(() => cloud.service.stop());
    const t = await pairedAppliance(cloud, { ...cloud.edgeEnv, HEMA3N_SYNC_ENABLED: 'false' });
    const board = await fetch(`${cloud.url}/dispatch/events`);
    const reader = board.body!.getReader();
    let stream = '';
    void (async () => {
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        stream += new TextDecoder().decode(value);
      }
    })();
    cleanups.push(() => reader.cancel().catch(() => {}));

    const { caseId } = await playCase(t, 'stemi');
    const store = t.appliance.store.store;
    expect(store.alerts.forCase(caseId).map((a) => a.kind)).toContain('rhythm-flag');
    // The link "comes up": run the sync the daemon would run.
    const { SyncWorker, CloudClient } = await import('../../src/sync/index.js');
    const worker = new SyncWorker({
      store,
      identity: store.identity.get()!,
      cloud: new CloudClient({ url: cloud.url, signPublicKey: cloud.edgeEnv.HEMA3N_CLOUD_SIGN_KEY!, timeoutMs: 10_000 }),
      cloudBoxKey: cloud.edgeEnv.HEMA3N_CLOUD_BOX_KEY!,
      logger: (await import('../../src/observability/index.js')).createLogger({ level: 'silent' }),
      now: Date.now,
    });
    const report = await worker.runOnce();
    expect(report).toMatchObject({ reachable: true, failure: null, quarantined: 0 });
    await syncedEverything(t, cloud, caseId);
    await waitUntil(() => stream.includes(caseId));
    const latestHr = store.vitals.forCase(caseId).filter((v) => v.code === 'HR').at(-1)!;
    const shown = stream
      .split('\n')
      .filter((line) => line.startsWith('data: ') && line.includes(caseId))
      .map((line) => (JSON.parse(line.slice(6)) as { case: { acuity: number | null; vitals: Array<{ label: string; value: number; observedAt: number }> } }).case)
      .at(-1)!;
    expect(shown.vitals.find((v) => v.label === 'HR')).toMatchObject({ value: latestHr.value, observedAt: latestHr.observedAt });
    expect(shown.acuity).toBe(store.cases.summary(caseId).acuity);
    const encounters = await fhirSearch(cloud.url, 'Encounter');
    expect(encounters.total).toBe(1);
    expect(store.sync.caseState(caseId).state).toBe('sent');
  }, 120_000);

  it('keeps everything while the cloud is down for a whole case, then delivers it exactly once', async () => {
    const cloudDir = tempDir();
    const first = await startTestCloud(cloudDir);
    const port = first.service.port;
    const { edgeEnv } = first;
    const t = await pairedAppliance(first, edgeEnv);
    await first.service.stop();
    const { caseId } = await playCase(t, 'normal');
    await new Promise((r) => setTimeout(r, 1000));
    expect(t.appliance.store.store.sync.counts().pending).toBeGreaterThan(0);
    expect(t.appliance.sync.describe()).toMatchObject({ state: 'offline' });
    const cloud = await startTestCloud(cloudDir, port);
    cleanups.push(() => cloud.service.stop());
    await syncedEverything(t, cloud, caseId);
  }, 120_000);

  it('delivers exactly once through a link that cuts the connection mid-upload, over and over', async () => {
    const cloud = await startTestCloud(tempDir());
    cleanups.push(() => cloud.service.stop());
    const proxy = await flakyProxy(cloud.service.port, 6);
    cleanups.push(() => new Promise<void>((r) => proxy.server.close(() => r())));
    const t = await pairedAppliance(cloud, { ...cloud.edgeEnv, HEMA3N_CLOUD_URL: `http://127.0.0.1:${proxy.port}` });
    const { caseId } = await playCase(t, 'stemi');
    await syncedEverything(t, cloud, caseId);
    expect(proxy.cuts()).toBeGreaterThanOrEqual(6);
  }, 120_000);
});

/**
 * A TCP proxy to the cloud that, for the first `cuts` connections carrying an upload, forwards
 * part of the request and then destroys both sides: the edge sees its request die mid-body.
 */
async function flakyProxy(targetPort: number, cuts: number): Promise<{ server: Server; port: number; cuts: () => number }> {
  let done = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    sockets.add(client);
    const upstream = connect(targetPort, '127.0.0.1');
    let forwarded = 0;
    let doomed = false;
    client.on('data', (chunk: Buffer) => {
      if (!doomed && done < cuts && chunk.includes('POST /v1/envelopes')) doomed = true;
      if (doomed) {
        forwarded += chunk.length;
        if (forwarded > 200) {
          done += 1;
          client.destroy();
          upstream.destroy();
          return;
        }
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => client.write(chunk));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    client.on('close', () => (upstream.destroy(), sockets.delete(client)));
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const originalClose = server.close.bind(server);
  server.close = ((cb?: (err?: Error) => void) => {
    for (const s of sockets) s.destroy();
    return originalClose(cb);
  }) as typeof server.close;
  return { server, port: (server.address() as AddressInfo).port, cuts: () => done };
}

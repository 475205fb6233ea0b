import type { Bundle, Device, RiskAssessment } from '@medplum/fhirtypes';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureIdentity } from '../../src/identity/index.js';
import { buildScenario, playScenario, type DeviceCredentials } from '../../src/simulate/index.js';
import { startTestAppliance, type TestAppliance } from '../support/appliance.js';
import { fhirSearch, pairAppliance, startTestCloud, type TestCloud } from '../support/cloud.js';
import { startLinkProxy } from '../support/link-proxy.js';
import { waitUntil } from '../support/mqtt.js';
import { useTempDirs } from '../support/temp.js';

const tempDir = useTempDirs();
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * The identity the appliance will sign with, paired with the cloud before any data flows. The
 * model assesses each case when its rules change, never on the interval: a run landing between
 * computing what the cloud should hold and looking would add resources mid-assertion.
 */
async function pairedAppliance(cloud: TestCloud, env: Record<string, string>): Promise<TestAppliance> {
  const appliance = await startTestAppliance(tempDir(), { HEMA3N_SYNC_INTERVAL_MS: '300', HEMA3N_ASSESS_INTERVAL_MS: '3600000', ...env });
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
  // The edge infers as the data comes in: wait for the model's answers to the last readings to be stored.
  await waitUntil(() => t.appliance.store.store.assessments.forCase(caseId).some((a) => a.source === 'model'));
  await t.appliance.assessor.settled();
  return { caseId, vitalRows: t.appliance.store.store.vitals.forCase(caseId).length };
}

/** What the dispatch stream shows of a case. */
interface BoardCase {
  acuity: number | null;
  eta: number | null;
  vitals: Array<{ label: string; value: number; observedAt: number }>;
  assessment: { condition: string; confidence: number | null } | null;
}

/** What a `model` assessment stores of the model's answer. */
interface ModelAnswer {
  model: { id: string; version: string };
  adapter: { specialty: string; version: string };
  conditions: Array<{ code: string; label: string; probability: number }>;
}

async function fhirResource<T>(cloudUrl: string, path: string): Promise<T> {
  return (await (await fetch(`${cloudUrl}/fhir/R4/${path}`)).json()) as T;
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
    // Before the link comes up the edge has inferred: after the STEMI flag, through the cardiology adapter.
    const answers = store.assessments.forCase(caseId).filter((a) => a.source === 'model');
    const answer = answers.at(-1)!.result as ModelAnswer;
    expect(answer).toMatchObject({ model: { id: 'hema3n-core' }, adapter: { specialty: 'cardiology' } });
    const merged = store.assessments.forCase(caseId).filter((a) => a.source === 'merged').at(-1)!;
    expect(merged.acuity).toBe(store.cases.summary(caseId).acuity);
    // Transporting: the crew sets the ETA on the tablet (PUT /api/v1/cases/:id/eta).
    const etaAt = Date.now() + 12 * 60_000;
    store.cases.setEta(caseId, etaAt, Date.now());
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
      .map((line) => (JSON.parse(line.slice(6)) as { case: BoardCase }).case)
      .at(-1)!;
    expect(shown.vitals.find((v) => v.label === 'HR')).toMatchObject({ value: latestHr.value, observedAt: latestHr.observedAt });
    expect(shown.acuity).toBe(store.cases.summary(caseId).acuity);
    expect(shown.eta).toBe(etaAt);
    // The board's AI assessment is the model's top condition, from the newest RiskAssessment.
    expect(shown.assessment).toEqual({ condition: answer.conditions[0]!.label, confidence: answer.conditions[0]!.probability });

    // Every model answer is a RiskAssessment on the FHIR server, naming the model and adapter versions.
    const { fhirId } = await import('../../src/fhir/index.js');
    const applianceId = store.identity.get()!.applianceId;
    const risks = await fhirResource<Bundle<RiskAssessment>>(cloud.url, 'RiskAssessment?_count=10000');
    expect(risks.entry!.filter((e) => e.resource!.method?.coding?.[0]?.code === 'model')).toHaveLength(answers.length);
    const risk = await fhirResource<RiskAssessment>(cloud.url, `RiskAssessment/${fhirId(applianceId, 'RiskAssessment', answers.at(-1)!.id)}`);
    const versions = `model hema3n-core ${answer.model.version}; adapter cardiology ${answer.adapter.version}`;
    expect(risk).toMatchObject({
      status: 'final',
      method: { coding: [{ code: 'model' }], text: `AI triage model; ${versions}` },
      subject: { reference: expect.stringMatching(/^Patient\//) },
      encounter: { reference: `Encounter/${fhirId(applianceId, 'Encounter', caseId)}` },
      occurrenceDateTime: new Date(answers.at(-1)!.createdAt).toISOString(),
    });
    expect(risk.prediction!.map((p) => [p.outcome!.coding![0]!.code, p.probabilityDecimal])).toEqual(answer.conditions.map((c) => [c.code, c.probability]));
    const device = await fhirResource<Device>(cloud.url, risk.performer!.reference!);
    expect(device.deviceName).toEqual([{ name: 'hema3n-core', type: 'model-name' }]);
    expect(device.version).toEqual([{ type: { text: 'model' }, value: answer.model.version }, { type: { text: 'adapter cardiology' }, value: answer.adapter.version }]);
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
    // The first six uploads die mid-body, whatever their kind.
    let uploads = 0;
    const proxy = await startLinkProxy(cloud.service.port, () => (++uploads <= 6 ? 'cut' : 'pass'));
    cleanups.push(() => proxy.close());
    const t = await pairedAppliance(cloud, { ...cloud.edgeEnv, HEMA3N_CLOUD_URL: proxy.url });
    const { caseId } = await playCase(t, 'stemi');
    await syncedEverything(t, cloud, caseId);
    expect(proxy.cuts()).toBeGreaterThanOrEqual(6);
  }, 120_000);
});

import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { CaseAssessor, chooseSpecialty } from '../../src/assessor/index.js';
import { caseToBundle, snapshotFromStore, validateBundle } from '../../src/fhir/index.js';
import { InferencePart, resolveInferenceSettings } from '../../src/inference/index.js';
import { IngestEvents, VITALS, type Measurement, type VitalCode } from '../../src/ingest/index.js';
import { CaseMonitor, LiveEvents, type CaseLiveEvent } from '../../src/monitor/index.js';
import { createLogger, createMetricsRegistry, type Registry } from '../../src/observability/index.js';
import type { Store, StoredAssessment } from '../../src/store/index.js';
import { startTestAppliance, type TestAppliance } from '../support/appliance.js';
import { connectDevice, publishAcked, waitUntil } from '../support/mqtt.js';
import { useTempDirs } from '../support/temp.js';

const tempDir = useTempDirs();
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const CHEST_PAIN = 'crushing chest pain radiating to the left arm';
const NORMAL = { HR: 72, RR: 14, SPO2: 98, SBP: 128, TEMP: 36.8 };

function assessments(store: Store, caseId: string, source: StoredAssessment['source']): StoredAssessment[] {
  return store.assessments.forCase(caseId).filter((a) => a.source === source);
}

interface MergedResult {
  acuity: { level: number; ruleLevel: number; modelLevel: number; disagreement: string | null };
  model: { id: string; version: string };
  adapter: { specialty: string; version: string } | null;
  conditions: Array<{ code: string; label: string; probability: number }>;
}

async function metric(metrics: Registry, outcome: string): Promise<number> {
  const values = (await metrics.getSingleMetric('hema3n_model_assessments_total')!.get()).values;
  return values.find((v) => v.labels.outcome === outcome)?.value ?? 0;
}

interface Harness {
  readonly t: TestAppliance;
  readonly store: Store;
  readonly caseId: string;
  readonly monitor: CaseMonitor;
  readonly assessor: CaseAssessor;
  readonly live: LiveEvents;
  readonly metrics: Registry;
  readonly logs: string[];
  /** The assessor's and the monitor's clock, moved by the test. */
  readonly clock: { now: number };
  /** One monitor reading, committed "now" on the harness clock, as ingest would announce it. */
  vitals(values: Readonly<Partial<Record<VitalCode, number>>>): void;
}

/**
 * The real store, audit log and ONNX model of a test appliance (whose own assessor is off), with
 * a case monitor and an assessor of the test's own on a clock the test moves: device data goes
 * in as ingest announces it after commit, and the rules, model and store do the rest.
 */
async function harness(options: { intervalMs: number; model?: boolean }): Promise<Harness> {
  const t = await startTestAppliance(tempDir(), { HEMA3N_ASSESS_INTERVAL_MS: '0' });
  cleanups.push(() => t.stop());
  const clock = { now: Date.now() };
  const now = () => clock.now;
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', destination: new Writable({ write: (chunk: Buffer, _enc, cb) => (logs.push(chunk.toString()), cb()) }) });
  const store = t.appliance.store.store;
  const ingest = new IngestEvents();
  const live = new LiveEvents();
  const metrics = createMetricsRegistry();
  const monitor = new CaseMonitor({ store: () => store, audit: () => t.appliance.audit.audit, ingest, live, logger, now });
  // A model part that was never started: what the assessor sees while no model is loaded.
  const unloaded = new InferencePart({ ...resolveInferenceSettings({ configured: {}, cwd: tempDir(), stateDir: tempDir(), mode: 'development', logger }), logger, now });
  const assessor = new CaseAssessor({
    intervalMs: options.intervalMs,
    store: () => store,
    audit: () => t.appliance.audit.audit,
    monitor,
    live,
    inference: () => (options.model === false ? unloaded.service : t.appliance.inference.service),
    logger,
    metrics,
    now,
  });
  await monitor.start();
  await assessor.start();
  cleanups.push(() => assessor.close(), () => monitor.close());
  const { id: caseId } = store.cases.create({ actor: 'test', now: clock.now });
  let seq = 0;
  const vitals = (values: Readonly<Partial<Record<VitalCode, number>>>) => {
    const measurements = (Object.entries(values) as Array<[VitalCode, number]>).map(([code, value]): Measurement => ({ code, loinc: VITALS[code].loinc, value, unit: VITALS[code].unit }));
    ingest.emit('vitals', { deviceId: 'mon-h', caseId, seq: ++seq, observedAt: clock.now, rhythm: null, measurements });
  };
  return { t, store, caseId, monitor, assessor, live, metrics, logs, clock, vitals };
}

/** The case's assessments in the order they were stored (rules carry device time, so created_at may go back). */
function stored(store: Store, caseId: string): Array<{ source: string; acuity: number | null; result: string }> {
  return store.db.prepare('SELECT source, acuity, result FROM assessments WHERE case_id = ? ORDER BY rowid').all(caseId) as Array<{ source: string; acuity: number | null; result: string }>;
}

/** Each merged acuity with the rules stored last before it: the floor it had to respect. */
function floors(store: Store, caseId: string): Array<{ merged: number; rules: number }> {
  let rules: number | null = null;
  const out: Array<{ merged: number; rules: number }> = [];
  for (const row of stored(store, caseId)) {
    if (row.source === 'rules') rules = row.acuity;
    if (row.source === 'merged') out.push({ merged: row.acuity!, rules: rules! });
  }
  return out;
}

describe('automatic model assessments', () => {
  it('stores the model answer and the merged result after vitals arrive over MQTT, queued for sync, audited, and mapped to a valid RiskAssessment', async () => {
    const t = await startTestAppliance(tempDir());
    cleanups.push(() => t.stop());
    const store = t.appliance.store.store;
    const { id: caseId } = store.cases.create({ actor: 'test', now: Date.now() });
    store.cases.updateClinical(caseId, { chiefComplaint: CHEST_PAIN }, Date.now());
    store.cases.updatePatient(caseId, { ageYears: 62 }, Date.now());
    const outboxBefore = store.sync.counts().pending;
    const device = await t.addDevice('mon-1');
    const client = await connectDevice(t.mqttUrl, device.id, device.secret);
    cleanups.push(() => void client.end(true));
    const measurements = [
      { code: 'HR', value: 96, unit: '/min' }, { code: 'RR', value: 18, unit: '/min' }, { code: 'SPO2', value: 96, unit: '%' },
      { code: 'SBP', value: 150, unit: 'mmHg' }, { code: 'DBP', value: 92, unit: 'mmHg' }, { code: 'TEMP', value: 36.8, unit: 'Cel' },
    ];
    await publishAcked(client, `hema3n/v1/devices/${device.id}/vitals`, JSON.stringify({ seq: 1, ts: Date.now() - 1000, rhythm: 'STEMI', measurements }));

    await waitUntil(() => assessments(store, caseId, 'merged').length > 0);
    await t.appliance.assessor.settled();
    const [model] = assessments(store, caseId, 'model');
    const merged = assessments(store, caseId, 'merged').at(-1)!;
    const rules = assessments(store, caseId, 'rules').at(-1)!;
    const result = merged.result as MergedResult;
    // The monitor flagged the rhythm, so the cardiology adapter read the case.
    expect(model!).toMatchObject({ acuity: null, result: { model: { id: 'hema3n-core', version: expect.any(String) }, adapter: { specialty: 'cardiology', version: '1.0.0' } } });
    expect(result.conditions.length).toBeGreaterThan(0);
    expect(result.conditions[0]).toEqual({ code: expect.any(String), label: expect.any(String), specialty: expect.any(String), probability: expect.any(Number) });
    expect(result.acuity.ruleLevel).toBe(rules.acuity);
    expect(merged.acuity).toBe(Math.min(rules.acuity!, result.acuity.modelLevel));
    expect(merged.createdAt).toBeGreaterThan(rules.createdAt);
    expect(store.cases.summary(caseId).acuity).toBe(merged.acuity);
    // Assessments, acuity and the outbox row are one transaction: the row carries the assessment's time.
    expect(store.sync.counts().pending).toBeGreaterThan(outboxBefore);
    expect(store.db.prepare('SELECT count(*) AS n FROM outbox WHERE case_id = ? AND created_at = ?').get(caseId, merged.createdAt)).toEqual({ n: 1 });
    const audit = store.db.prepare(`SELECT actor, resource, reason FROM audit WHERE action = 'assessment.model'`).all();
    expect(audit).toEqual([{ actor: 'system', resource: `case/${caseId}/assessment/${merged.id}`, reason: `hema3n-core ${result.model.version}; adapter cardiology 1.0.0` }]);
    expect(await metric(t.metrics, 'stored')).toBe(1);

    const bundle = caseToBundle(snapshotFromStore(store, caseId, 'appliance-test'));
    expect(validateBundle(bundle).ok).toBe(true);
    const riskAssessments = bundle.entry!.flatMap((e) => (e.resource?.resourceType === 'RiskAssessment' ? [e.resource] : []));
    expect(riskAssessments.map((r) => r.method!.coding![0]!.code).sort()).toEqual(['merged', 'model']);
    const modelDevice = bundle.entry!.flatMap((e) => (e.resource?.resourceType === 'Device' && e.resource.deviceName?.[0]?.name === 'hema3n-core' ? [e.resource] : []));
    expect(modelDevice).toHaveLength(1);
    expect(modelDevice[0]!.version).toEqual([{ type: { text: 'model' }, value: result.model.version }, { type: { text: 'adapter cardiology' }, value: '1.0.0' }]);
    for (const risk of riskAssessments) {
      expect(risk.method!.text).toContain(`model hema3n-core ${result.model.version}; adapter cardiology 1.0.0`);
      expect(risk.prediction![0]!.outcome!.text).toBe(result.conditions[0]!.label);
      expect(risk.performer!.reference!.endsWith(modelDevice[0]!.id!)).toBe(true);
    }
    expect(t.logs.join('')).not.toContain(CHEST_PAIN);
  });

  it('asks at most once per interval per case, but at once when the rules change', async () => {
    const h = await harness({ intervalMs: 30_000 });
    const models = () => assessments(h.store, h.caseId, 'model').length;
    h.vitals(NORMAL);
    await h.assessor.settled();
    expect(models()).toBe(1);
    // NEWS2 moves within its band, 10 s later: the rules are the same, the interval has not passed.
    h.clock.now += 10_000;
    h.vitals({ TEMP: 38.5 });
    await h.assessor.settled();
    expect(models()).toBe(1);
    h.clock.now += 21_000;
    h.vitals({ TEMP: 39.5 });
    await h.assessor.settled();
    expect(models()).toBe(2);
    // One second later the risk band changes: the monitor stored new rules, so the model is asked again at once.
    h.clock.now += 1000;
    h.vitals({ SBP: 85 });
    await h.assessor.settled();
    expect(models()).toBe(3);
    expect(assessments(h.store, h.caseId, 'merged')).toHaveLength(3);
    expect(await metric(h.metrics, 'stored')).toBe(3);
  });

  it('picks up a change that came inside the interval when the interval ends', async () => {
    const h = await harness({ intervalMs: 50 });
    h.vitals(NORMAL);
    await h.assessor.settled();
    h.clock.now += 10;
    h.vitals({ TEMP: 38.5 });
    await h.assessor.settled();
    expect(assessments(h.store, h.caseId, 'model')).toHaveLength(1);
    await waitUntil(() => assessments(h.store, h.caseId, 'model').length === 2);
    // The run at the end of the interval read the rules as they were after the change (38.5 °C scores 1).
    const latest = assessments(h.store, h.caseId, 'merged').at(-1)!.result as { news2: { total: number } };
    expect(latest.news2.total).toBe(1);
  });

  it('keeps one request in flight per case: changes that arrive meanwhile become one more request, on the latest rules', async () => {
    const h = await harness({ intervalMs: 30_000 });
    h.vitals(NORMAL);
    h.vitals({ SBP: 85 });
    h.vitals({ SBP: 128 });
    h.vitals({ SBP: 86 });
    await h.assessor.settled();
    expect(assessments(h.store, h.caseId, 'merged')).toHaveLength(2);
    const rows = stored(h.store, h.caseId);
    const risk = (row: { result: string }) => (JSON.parse(row.result) as { news2: { risk: string } }).news2.risk;
    expect(rows.at(-1)!.source).toBe('merged');
    expect(risk(rows.at(-1)!)).toBe('low-medium');
    expect(risk(rows.filter((r) => r.source === 'rules').at(-1)!)).toBe('low-medium');
  });

  it('never lets the merged acuity be less urgent than the rules, when the model would lower it or raise it', async () => {
    const h = await harness({ intervalMs: 30_000 });
    const shown: Array<Extract<CaseLiveEvent, { type: 'assessment' }>> = [];
    h.live.subscribeAll((event) => event.type === 'assessment' && shown.push(event));
    h.vitals(NORMAL);
    await h.assessor.settled();
    // A high-risk situation is the crew's judgement: the rules go to ESI 2, the model does not read it.
    h.clock.now += 1000;
    h.monitor.setCrewFindings(h.caseId, { highRiskSituation: true });
    await h.assessor.settled();
    const lowered = assessments(h.store, h.caseId, 'merged').at(-1)!;
    const result = lowered.result as MergedResult;
    expect(lowered.acuity).toBe(2);
    expect(result.acuity).toMatchObject({ level: 2, ruleLevel: 2, disagreement: 'model-lower-ignored' });
    expect(result.acuity.modelLevel).toBeGreaterThan(2);
    expect(h.store.cases.summary(h.caseId).acuity).toBe(2);

    // A chest pain the rules call ESI 3 that the model raises.
    h.store.cases.updateClinical(h.caseId, { chiefComplaint: CHEST_PAIN }, h.clock.now);
    h.store.cases.updatePatient(h.caseId, { ageYears: 62 }, h.clock.now);
    h.clock.now += 1000;
    h.monitor.setCrewFindings(h.caseId, { highRiskSituation: false });
    // Past the one-minute smoothing window, so the model reads these values as they are.
    h.clock.now += 61_000;
    h.vitals({ HR: 96, RR: 18, SPO2: 96, SBP: 150, TEMP: 36.8 });
    await h.assessor.settled();
    const raised = assessments(h.store, h.caseId, 'merged').at(-1)!.result as MergedResult;
    expect(raised.adapter?.specialty).toBe('cardiology');
    expect(raised.acuity.modelLevel).toBeLessThan(raised.acuity.ruleLevel);
    expect(raised.acuity).toMatchObject({ level: raised.acuity.modelLevel, disagreement: 'model-higher' });
    // The tablet hears of it live, with the model named as what raised it.
    expect(shown.at(-1)).toMatchObject({ caseId: h.caseId, acuity: { level: raised.acuity.level, ruleLevel: raised.acuity.ruleLevel, raisedByModel: true } });
    expect(shown.at(-1)!.topCondition).toEqual({ label: raised.conditions[0]!.label, probability: raised.conditions[0]!.probability });
    expect(shown.filter((e) => !e.acuity.raisedByModel).length).toBeGreaterThan(0);

    const pairs = floors(h.store, h.caseId);
    expect(pairs.length).toBeGreaterThanOrEqual(4);
    for (const { merged, rules } of pairs) expect(merged).toBeLessThanOrEqual(rules);
  });

  it('without a loaded model stores no model assessment, says so once, and the rules are still stored', async () => {
    const h = await harness({ intervalMs: 30_000, model: false });
    h.vitals(NORMAL);
    await h.assessor.settled();
    h.clock.now += 1000;
    h.vitals({ SBP: 85 });
    await h.assessor.settled();
    expect(assessments(h.store, h.caseId, 'rules').length).toBeGreaterThanOrEqual(2);
    expect(assessments(h.store, h.caseId, 'model')).toEqual([]);
    expect(assessments(h.store, h.caseId, 'merged')).toEqual([]);
    expect(h.logs.filter((line) => line.includes('no model is loaded'))).toHaveLength(1);
    expect(await metric(h.metrics, 'no_model')).toBe(2);
  });

  it('logs and counts a failure without throwing it back to the publisher', async () => {
    const h = await harness({ intervalMs: 30_000 });
    const unknownCase = '00000000-0000-4000-8000-000000000000';
    expect(() =>
      h.live.publish({ type: 'scores', caseId: unknownCase, at: h.clock.now, news2: { total: 0, risk: 'low', partial: true }, acuity: { level: 3, reasons: [] } }),
    ).not.toThrow();
    await h.assessor.settled();
    expect(await metric(h.metrics, 'failed')).toBe(1);
    const failure = h.logs.map((line) => JSON.parse(line) as { msg: string; err?: { code: string } }).find((line) => line.msg.startsWith('automatic model assessment failed'));
    expect(failure?.err?.code).toBe('NOT_FOUND');
    expect(h.store.assessments.forCase(unknownCase)).toEqual([]);
  });
});

describe('the adapter for an automatic assessment', () => {
  const all = new Set(['cardiology', 'emergency', 'neurology', 'pulmonology']);

  it('reads a rhythm flag as cardiology, else the complaint, else emergency', () => {
    expect(chooseSpecialty({ rhythmFlagged: true, complaint: 'fell off a ladder' }, all)).toBe('cardiology');
    expect(chooseSpecialty({ rhythmFlagged: false, complaint: 'Chest pain at rest' }, all)).toBe('cardiology');
    expect(chooseSpecialty({ rhythmFlagged: false, complaint: 'sudden slurred speech' }, all)).toBe('neurology');
    expect(chooseSpecialty({ rhythmFlagged: false, complaint: 'short of breath since this morning' }, all)).toBe('pulmonology');
    expect(chooseSpecialty({ rhythmFlagged: false, complaint: 'fell off a ladder' }, all)).toBe('emergency');
    expect(chooseSpecialty({ rhythmFlagged: false, complaint: null }, all)).toBe('emergency');
  });

  it('falls back to emergency, then to the base model, when the adapter is not served', () => {
    expect(chooseSpecialty({ rhythmFlagged: true, complaint: null }, new Set(['emergency']))).toBe('emergency');
    expect(chooseSpecialty({ rhythmFlagged: true, complaint: null }, new Set())).toBeUndefined();
  });
});

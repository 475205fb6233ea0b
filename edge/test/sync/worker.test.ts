import { afterEach, describe, expect, it } from 'vitest';
import { Backoff } from '../../src/sync/index.js';
import { databasePath, openDatabase, Store } from '../../src/store/index.js';
import { runHema3n } from '../support/cli.js';
import { fhirSearch, pairAppliance, startTestCloud } from '../support/cloud.js';
import { randomKeyHex, useTempDirs } from '../support/temp.js';

const tempDir = useTempDirs();
const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('backoff', () => {
  it('doubles its ceiling per failure up to the cap, draws below it, and starts over after a success', () => {
    const top = new Backoff(500, 4000, () => 0.999999);
    expect([1, 2, 3, 4, 5].map(() => top.nextDelayMs())).toEqual([500, 1000, 2000, 4000, 4000]);
    top.reset();
    expect(top.nextDelayMs()).toBe(500);
    const bottom = new Backoff(500, 4000, () => 0);
    expect(bottom.nextDelayMs()).toBe(0);
  });
});

/** A running cloud and an appliance state dir with its identity, not yet registered at the cloud. */
async function edgeAndCloud() {
  const cloud = await startTestCloud(tempDir());
  cleanups.push(() => cloud.service.stop());
  const dir = tempDir();
  const key = randomKeyHex();
  const env = { HEMA3N_STATE_DIR: dir, HEMA3N_DB_KEY: key, ...cloud.edgeEnv };
  const identity = JSON.parse((await runHema3n(['identity', '--json'], env)).stdout) as { applianceId: string; signPublicKey: string };
  return { cloud, dir, key, env, identity };
}

describe('sync worker and its CLI', () => {
  it('sends ESI 1-2 cases before older, less urgent ones, and sync status/now report it', async () => {
    const { cloud, dir, key, env, identity } = await edgeAndCloud();
    await pairAppliance(cloud.stateDir, identity.applianceId, identity.signPublicKey);

    const store = Store.open({ path: databasePath(dir), key: Buffer.from(key, 'hex'), groupCommit: { maxRows: 100, maxDelayMs: 0 } });
    const minor = store.cases.create({ actor: 'test', now: 1_000 });
    store.cases.updateClinical(minor.id, { acuity: 4 }, 2_000);
    const critical = store.cases.create({ actor: 'test', now: 3_000 });
    store.cases.updateClinical(critical.id, { acuity: 2 }, 4_000);
    expect(store.sync.pendingCases().map((p) => p.caseId)).toEqual([critical.id, minor.id]);
    store.close();

    const before = JSON.parse((await runHema3n(['sync', 'status', '--json'], env)).stdout);
    expect(before).toMatchObject({ configured: true, pending: 4, sent: 0, quarantined: 0, lastReceiptAt: null });
    const now = await runHema3n(['sync', 'now', '--json'], env);
    expect(now.code).toBe(0);
    // The critical case goes as an alert and a bundle, the minor one as a bundle.
    expect(JSON.parse(now.stdout)).toMatchObject({ reachable: true, casesSent: 2, envelopesSent: 3, pending: 0, sent: 4, failure: null });
    const after = JSON.parse((await runHema3n(['sync', 'status', '--json'], env)).stdout);
    expect(after).toMatchObject({ pending: 0, sent: 4, lastReceiptAt: expect.any(Number) });

    const db = openDatabase({ path: databasePath(dir), key: Buffer.from(key, 'hex'), readonly: true });
    const receipts = db.prepare('SELECT case_id AS caseId, max(receipt_sequence) AS seq FROM outbox GROUP BY case_id').all() as Array<{ caseId: string; seq: number }>;
    db.close();
    const seq = (id: string) => receipts.find((r) => r.caseId === id)!.seq;
    expect(seq(critical.id)).toBeLessThan(seq(minor.id));
  }, 60_000);

  it('quarantines a case the cloud refuses, and sync retry sends it once the cause is mended', async () => {
    const { cloud, dir, key, env, identity } = await edgeAndCloud();
    const store = Store.open({ path: databasePath(dir), key: Buffer.from(key, 'hex'), groupCommit: { maxRows: 100, maxDelayMs: 0 } });
    store.cases.create({ actor: 'test', now: 1_000 });
    store.close();

    // Not yet registered at the cloud: refused, and set aside rather than retried forever.
    expect(JSON.parse((await runHema3n(['sync', 'now', '--json'], env)).stdout)).toMatchObject({ reachable: true, quarantined: 1, casesSent: 0, failure: null });
    const held = JSON.parse((await runHema3n(['sync', 'status', '--json'], env)).stdout);
    expect(held).toMatchObject({ pending: 0, quarantined: 1, lastError: expect.stringMatching(/^[A-Z_]+$/) });
    await pairAppliance(cloud.stateDir, identity.applianceId, identity.signPublicKey);
    // Registered now, but a quarantined case waits for the technician's word.
    expect(JSON.parse((await runHema3n(['sync', 'now', '--json'], env)).stdout)).toMatchObject({ casesSent: 0, quarantined: 1 });

    const retry = await runHema3n(['sync', 'retry', '--json'], env);
    expect(retry.code).toBe(0);
    expect(JSON.parse(retry.stdout)).toEqual({ cases: 1, mediaFiles: 0 });
    expect(JSON.parse((await runHema3n(['sync', 'now', '--json'], env)).stdout)).toMatchObject({ casesSent: 1, quarantined: 0, pending: 0 });
    expect((await fhirSearch(cloud.url, 'Encounter')).total).toBe(1);
    const db = openDatabase({ path: databasePath(dir), key: Buffer.from(key, 'hex'), readonly: true });
    const audited = db.prepare(`SELECT reason FROM audit WHERE action = 'sync.retry'`).all();
    db.close();
    expect(audited).toEqual([{ reason: '1 case(s), 0 media file(s)' }]);
  }, 60_000);

  it('sync now without a configured cloud names the settings it needs', async () => {
    const run = await runHema3n(['sync', 'now', '--json'], { HEMA3N_STATE_DIR: tempDir(), HEMA3N_DB_KEY: randomKeyHex() });
    expect(run.code).toBe(78);
    expect(run.stderr).toContain('HEMA3N_CLOUD_URL');
  });
});

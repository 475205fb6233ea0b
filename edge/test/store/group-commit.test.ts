import { describe, expect, it } from 'vitest';
import { databasePath, openDatabase, Store, type VitalSignWrite } from '../../src/store/index.js';
import { randomKeyHex, useTempDirs } from '../support/temp.js';

const tempDir = useTempDirs();

let deviceRef = 0;

function vital(seq: number, code = 'HR'): VitalSignWrite {
  return { deviceRef, seq, code, value: 80 + (seq % 10), unit: '/min', observedAt: 1_700_000_000_000 + seq, receivedAt: 1_700_000_000_000 + seq, caseRef: null };
}

function openStore(maxRows: number, maxDelayMs: number) {
  const dir = tempDir();
  const key = Buffer.from(randomKeyHex(), 'hex');
  const store = Store.open({ path: databasePath(dir), key, groupCommit: { maxRows, maxDelayMs } });
  deviceRef = store.devices.add({ id: 'mon-1', kind: 'monitor', secretHash: 'x', now: 0 }).ref;
  /** A second, independent connection: what it sees is what is committed. */
  const reader = openDatabase({ path: databasePath(dir), key, readonly: true });
  const committed = () => (reader.prepare('SELECT count(*) AS n FROM vital_signs').get() as { n: number }).n;
  return { store, committed, close: () => (reader.close(), store.close()) };
}

describe('group commit of vital signs', () => {
  it('settles a submission only once its rows are visible to another connection', async () => {
    const { store, committed, close } = openStore(1000, 5);
    const pending = store.vitalWrites.submit([vital(1), vital(2)]);
    expect(committed()).toBe(0);
    await expect(pending).resolves.toEqual([true, true]);
    expect(committed()).toBe(2);
    close();
  });

  it('puts many producers into one transaction and answers each with its own results', async () => {
    const { store, committed, close } = openStore(1000, 5);
    const submissions = Array.from({ length: 50 }, (_, i) => store.vitalWrites.submit([vital(i, 'HR'), vital(i, 'SPO2')]));
    const results = await Promise.all(submissions);
    expect(results.every((r) => r.length === 2 && r.every(Boolean))).toBe(true);
    expect(store.vitalWrites.stats.commits).toBe(1);
    expect(committed()).toBe(100);
    close();
  });

  it('commits as soon as maxRows are waiting, without waiting for the delay', async () => {
    const { store, committed, close } = openStore(10, 60_000);
    const first = store.vitalWrites.submit(Array.from({ length: 10 }, (_, i) => vital(i)));
    expect(committed()).toBe(10);
    await first;
    close();
  });

  it('reads stored samples back per case, with device and case ids', async () => {
    const { store, close } = openStore(1000, 0);
    const { id: caseId } = store.cases.create({ actor: 't', now: 0 });
    const caseRef = store.cases.refOf(caseId);
    await store.vitalWrites.submit([{ ...vital(2, 'SPO2'), caseRef }, { ...vital(1), caseRef }, vital(3)]);
    expect(store.vitals.forCase(caseId)).toEqual([
      { deviceId: 'mon-1', seq: 1, code: 'HR', value: 81, unit: '/min', observedAt: 1_700_000_000_001, receivedAt: 1_700_000_000_001, caseId },
      { deviceId: 'mon-1', seq: 2, code: 'SPO2', value: 82, unit: '/min', observedAt: 1_700_000_000_002, receivedAt: 1_700_000_000_002, caseId },
    ]);
    expect(store.vitals.attachUnassigned(caseId, 'mon-1', 0)).toBe(1);
    expect(store.vitals.forCase(caseId)).toHaveLength(3);
    close();
  });

  it('stores a resent (device, seq, code) once and reports it as a duplicate', async () => {
    const { store, committed, close } = openStore(1000, 1);
    await store.vitalWrites.submit([vital(7)]);
    await expect(store.vitalWrites.submit([vital(7), vital(8)])).resolves.toEqual([false, true]);
    expect(committed()).toBe(2);
    close();
  });

  it('rejects every waiter of a failed transaction and stores none of its rows', async () => {
    const { store, committed, close } = openStore(1000, 1);
    const good = store.vitalWrites.submit([vital(1)]);
    const bad = store.vitalWrites.submit([{ ...vital(2), value: null as unknown as number }]);
    await expect(good).rejects.toThrow();
    await expect(bad).rejects.toThrow();
    expect(committed()).toBe(0);
    expect(store.vitalWrites.stats.failures).toBe(1);
    close();
  });

  it('commits what is still waiting when the store closes', async () => {
    const { store, committed, close } = openStore(1000, 60_000);
    const pending = store.vitalWrites.submit([vital(1)]);
    store.close();
    await expect(pending).resolves.toEqual([true]);
    expect(committed()).toBe(1);
    close();
  });
});

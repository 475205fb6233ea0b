import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/index.js';
import { databasePath, Store, StorePart, WalCheckpointer } from '../../src/store/index.js';
import { startTestAppliance } from '../support/appliance.js';
import { waitUntil } from '../support/mqtt.js';
import { randomKeyHex, useTempDirs } from '../support/temp.js';

const tempDir = useTempDirs();
const groupCommit = { maxRows: 1000, maxDelayMs: 0 };

function openStore(): { store: Store; key: Buffer; path: string } {
  const path = databasePath(tempDir());
  const key = Buffer.from(randomKeyHex(), 'hex');
  return { store: Store.open({ path, key, groupCommit }), key, path };
}

/** A few hundred pages of committed rows, all still in the WAL while nobody checkpoints. */
async function writeVitals(store: Store, count: number): Promise<void> {
  const device = store.devices.add({ id: 'mon-1', kind: 'monitor', secretHash: '-', now: 0 });
  const rows = Array.from({ length: count }, (_, seq) => ({ deviceRef: device.ref, seq, code: 'HR', value: 80, unit: '/min', observedAt: seq, receivedAt: seq, caseRef: null }));
  await store.vitalWrites.submit(rows);
}

const autocheckpoint = (store: Store): number => store.db.pragma('wal_autocheckpoint', { simple: true }) as number;

describe('background WAL checkpoints', () => {
  it("fold the writer's commits into the main file from their own thread, and hand back a truncated WAL at close", async () => {
    const { store, key, path } = openStore();
    const checkpointer = new WalCheckpointer(store.db, { key, intervalMs: 20, onFailure: (error) => expect.fail(error.message) });
    // The writer's own checkpoint is now only a safety net far above what this test writes.
    expect(autocheckpoint(store)).toBeGreaterThan(10_000);
    const before = statSync(path).size;
    await writeVitals(store, 20_000);
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(0);
    await waitUntil(() => statSync(path).size > before, 10_000);
    await checkpointer.close();
    store.close();
    expect(statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0).toBe(0);
    const reopened = Store.open({ path, key, groupCommit });
    expect(reopened.vitals.total()).toBe(20_000);
    reopened.close();
  });

  it('a thread that cannot open the database is reported, and the writer goes back to checkpointing itself', async () => {
    const { store, path } = openStore();
    const wrongKey = Buffer.from(randomKeyHex(), 'hex');
    const failures: Error[] = [];
    const checkpointer = new WalCheckpointer(store.db, { key: wrongKey, intervalMs: 20, onFailure: (error) => failures.push(error) });
    await waitUntil(() => failures.length > 0, 10_000);
    expect((failures[0] as Error & { code?: string }).code).toBe('DB_KEY_WRONG');
    expect(autocheckpoint(store)).toBe(1000);
    await checkpointer.close();
    await writeVitals(store, 100);
    store.close();
    expect(statSync(path).size).toBeGreaterThan(0);
  });

  it("run for the daemon's store, not for a one-shot command's", async () => {
    const daemon = await startTestAppliance(tempDir());
    try {
      expect(autocheckpoint(daemon.appliance.store.store)).toBeGreaterThan(10_000);
    } finally {
      await daemon.stop();
    }
    const cli = new StorePart({
      stateDir: tempDir(),
      mode: 'development',
      keySettings: { keyProvider: 'env', key: randomKeyHex() },
      groupCommit,
      checkpointInBackground: false,
      logger: createLogger({ level: 'silent' }),
    });
    await cli.start();
    expect(autocheckpoint(cli.store)).toBe(1000);
    await cli.close();
  });
});

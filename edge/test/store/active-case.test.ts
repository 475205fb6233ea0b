import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { databasePath, Store } from '../../src/store/index.js';
import { randomKeyHex, useTempDirs } from '../support/temp.js';

const tempDir = useTempDirs();
const groupCommit = { maxRows: 100, maxDelayMs: 0 };

function twoConnections(): [Store, Store] {
  const path = databasePath(tempDir());
  const key = Buffer.from(randomKeyHex(), 'hex');
  const daemon = Store.open({ path, key, groupCommit });
  return [daemon, Store.open({ path, key, groupCommit })];
}

describe('the active case, read on every device message', () => {
  it("follows this connection's own changes at once", () => {
    const [store, other] = twoConnections();
    expect(store.cases.activeCase()).toBeNull();
    const first = store.cases.create({ actor: 'test', now: 1 });
    expect(store.cases.activeCase()?.id).toBe(first.id);
    store.cases.setStatus(first.id, 'closed', 'test', 2);
    expect(store.cases.activeCase()).toBeNull();
    other.close();
    store.close();
  });

  it("sees another process's change (the CLI) from the next turn of the event loop", async () => {
    const [store, cli] = twoConnections();
    expect(store.cases.activeCase()).toBeNull();
    const created = cli.cases.create({ actor: 'cli', now: 1 });
    await nextTurn();
    expect(store.cases.activeCase()?.id).toBe(created.id);
    cli.close();
    store.close();
  });

  it('is never remembered from inside a transaction that is then rolled back', () => {
    const [store, other] = twoConnections();
    expect(() =>
      store.transaction(() => {
        store.cases.create({ actor: 'test', now: 1 });
        expect(store.cases.activeCase()).not.toBeNull();
        throw new Error('abandon');
      }),
    ).toThrow('abandon');
    expect(store.cases.activeCase()).toBeNull();
    other.close();
    store.close();
  });
});

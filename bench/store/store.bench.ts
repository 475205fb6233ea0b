import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { databasePath, Store, WalCheckpointer, type VitalSignWrite } from '../../edge/src/store/index.js';
import type { BenchResult } from '../run.js';
import { median } from '../stats.js';

const CODES = ['HR', 'RR', 'SPO2', 'SBP', 'DBP', 'MAP', 'TEMP', 'ETCO2'] as const;
const DEVICES = 50;
const SAMPLES_PER_MESSAGE = CODES.length;
/** In-flight messages per device; MQTT brokers commonly allow 16-65535 (receive maximum). */
const WINDOW = 16;
const REPEATS = 5;

/** One device message: all its measurements at one sequence number. */
function message(deviceRef: number, caseRef: number, seq: number): VitalSignWrite[] {
  const at = 1_790_000_000_000 + seq * 1000;
  return CODES.map((code, i) => ({ deviceRef, seq, code, value: 60 + i + (seq % 7), unit: '/min', observedAt: at, receivedAt: at, caseRef }));
}

/** The devices and the active case the samples belong to, as on a real run. */
function register(store: Store): { deviceRefs: number[]; caseRef: number } {
  const deviceRefs = Array.from({ length: DEVICES }, (_, i) => store.devices.add({ id: `monitor-${i}`, kind: 'monitor', secretHash: '-', now: 0 }).ref);
  const { id } = store.cases.create({ actor: 'bench', now: 0 });
  return { deviceRefs, caseRef: store.cases.refOf(id) };
}

/**
 * 50 devices submitting concurrently. Each keeps up to `window` messages awaiting their commit,
 * as an MQTT client does with QoS 1 under the broker's receive maximum; window 1 is a device
 * that waits for every PUBACK before sending the next sample.
 */
async function groupCommitRun(store: Store, totalSamples: number, window: number): Promise<number> {
  const perDevice = Math.ceil(totalSamples / SAMPLES_PER_MESSAGE / DEVICES);
  const { deviceRefs, caseRef } = register(store);
  const t0 = performance.now();
  await Promise.all(
    deviceRefs.map(async (device) => {
      const inFlight = new Set<Promise<unknown>>();
      for (let seq = 0; seq < perDevice; seq++) {
        const commit = store.vitalWrites.submit(message(device, caseRef, seq));
        inFlight.add(commit);
        void commit.then(() => inFlight.delete(commit));
        if (inFlight.size >= window) await Promise.race(inFlight);
      }
      await Promise.all(inFlight);
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  return (perDevice * DEVICES * SAMPLES_PER_MESSAGE) / seconds;
}

/** A store as the daemon runs it: group commit, and the WAL folded in on the checkpointer's thread. */
async function withStore<T>(key: Buffer | null, fn: (store: Store) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'hema3n-bench-'));
  const store = Store.open({ path: databasePath(dir), key, groupCommit: { maxRows: 5000, maxDelayMs: 0 } });
  const checkpointer = new WalCheckpointer(store.db, { key, onFailure: (error) => console.error(error) });
  try {
    return await fn(store);
  } finally {
    await checkpointer.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Encrypted and unencrypted runs interleaved (so drift hits both); each run's figure, in order. */
async function alternating(key: Buffer, run: (store: Store) => Promise<number>): Promise<[number[], number[]]> {
  const encrypted: number[] = [];
  const unencrypted: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    encrypted.push(await withStore(key, run));
    unencrypted.push(await withStore(null, run));
  }
  return [encrypted, unencrypted];
}

/** One transaction (one fsync) per row: what a naive "commit, then ack" ingest does. */
async function perRowRun(store: Store, rows: number): Promise<number> {
  const { deviceRefs, caseRef } = register(store);
  const insert = store.db.prepare(
    'INSERT INTO vital_signs (device_ref, seq, code, value, unit, observed_at, received_at, case_ref) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const t0 = performance.now();
  for (let i = 0; i < rows; i++) store.db.transaction(() => insert.run(deviceRefs[0], i, 'HR', 80, '/min', i, i, caseRef))();
  return rows / ((performance.now() - t0) / 1000);
}

export async function runStoreBench(): Promise<BenchResult> {
  const key = randomBytes(32);
  const samples = 400_000;
  await withStore(key, (s) => groupCommitRun(s, 40_000, WINDOW)); // warm-up
  const windowed = await alternating(key, (s) => groupCommitRun(s, samples, WINDOW));
  const lockstep = await alternating(key, (s) => groupCommitRun(s, samples, 1));
  const [encrypted, unencrypted] = windowed.map(median) as [number, number];
  const [encryptedLockstep, unencryptedLockstep] = lockstep.map(median) as [number, number];
  const perRow = await withStore(key, (s) => perRowRun(s, 2_000));
  const ratio = unencrypted / encrypted;
  return {
    name: 'store',
    figures: {
      workload: `${DEVICES} concurrent devices, ${SAMPLES_PER_MESSAGE} measurements per message, up to ${WINDOW} messages per device awaiting commit; ${samples} samples`,
      encryptedGroupCommitSamplesPerSec: Math.round(encrypted),
      unencryptedGroupCommitSamplesPerSec: Math.round(unencrypted),
      runs: `median of ${REPEATS} interleaved runs each; encrypted ${windowed[0].map(Math.round).join(', ')}; unencrypted ${windowed[1].map(Math.round).join(', ')}`,
      lockstepWorkload: 'the same with each device awaiting every commit before its next message (window 1)',
      encryptedLockstepSamplesPerSec: Math.round(encryptedLockstep),
      unencryptedLockstepSamplesPerSec: Math.round(unencryptedLockstep),
      encryptedOneTransactionPerRowSamplesPerSec: Math.round(perRow),
      encryptionCostFactor: Number(ratio.toFixed(3)),
      groupCommitSpeedupOverPerRow: Number((encrypted / perRow).toFixed(1)),
    },
    targets: {
      encryptedSamplesPerSec: { target: '>= 100000', met: encrypted >= 100_000 },
      encryptionCost: { target: '<= 1.5x unencrypted', met: ratio <= 1.5 },
    },
  };
}

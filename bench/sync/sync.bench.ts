import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateBoxKeyPair, generateSigningKeyPair, openEnvelope, readyWire, sealEnvelope } from '@hema3n/cloud-sync/wire';
import { loadCloudConfig } from '../../cloud-sync/src/config.js';
import { startCloud } from '../../cloud-sync/src/main.js';
import { AuditLog } from '../../edge/src/audit/index.js';
import { ensureIdentity } from '../../edge/src/identity/index.js';
import { createLogger } from '../../edge/src/observability/index.js';
import { databasePath, Store, type VitalSignWrite } from '../../edge/src/store/index.js';
import { CloudClient, SyncWorker } from '../../edge/src/sync/index.js';
import { pairAppliance } from '../../edge/test/support/cloud.js';
import type { BenchResult } from '../run.js';

const CASE_MINUTES = 30;
const DEVICES = ['monitor', 'spo2', 'nibp', 'capno'] as const;
const REPEATS = 5;

/** A 30-minute case: 1 Hz vitals from 4 devices, 5 photos, 2 minutes of audio, as the store holds it. */
async function buildCase(store: Store): Promise<string> {
  const start = Date.now() - CASE_MINUTES * 60_000;
  const { id: caseId } = store.cases.create({ incidentNumber: 'BENCH-1', actor: 'bench', now: start });
  store.cases.updateClinical(caseId, { acuity: 2, chiefComplaint: 'chest pain' }, start);
  const caseRef = store.cases.refOf(caseId);
  const codes: Record<(typeof DEVICES)[number], Array<[string, string, number]>> = {
    monitor: [['HR', '/min', 88], ['RR', '/min', 18]],
    spo2: [['SPO2', '%', 96]],
    nibp: [['SBP', 'mm[Hg]', 128], ['DBP', 'mm[Hg]', 80]],
    capno: [['ETCO2', 'mm[Hg]', 36]],
  };
  for (const kind of DEVICES) {
    const device = store.devices.add({ id: `bench-${kind}`, kind: kind === 'nibp' ? 'bp-cuff' : kind === 'spo2' ? 'pulse-oximeter' : kind === 'capno' ? 'capnograph' : 'monitor', secretHash: '-', now: start });
    const rows: VitalSignWrite[] = [];
    for (let s = 0; s < CASE_MINUTES * 60; s++) {
      const at = start + s * 1000;
      for (const [code, unit, base] of codes[kind]) rows.push({ deviceRef: device.ref, seq: s, code, value: base + (s % 5), unit, observedAt: at, receivedAt: at, caseRef });
    }
    await store.vitalWrites.submit(rows);
  }
  const insertMedia = store.db.prepare('INSERT INTO media (id, case_id, kind, content_type, bytes, sha256, data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  for (let i = 0; i < 5; i++) insertMedia.run(`photo-${i}`, caseId, 'image', 'image/jpeg', 400_000, randomBytes(32).toString('hex'), randomBytes(400_000), start + i);
  insertMedia.run('voice-1', caseId, 'audio', 'audio/wav', 3_840_000, randomBytes(32).toString('hex'), randomBytes(3_840_000), start + 10);
  return caseId;
}

async function linkUpToDispatch(): Promise<{ visibleMs: number; fullMs: number; envelopes: number }> {
  const edgeDir = mkdtempSync(join(tmpdir(), 'hema3n-bench-sync-edge-'));
  const cloudDir = mkdtempSync(join(tmpdir(), 'hema3n-bench-sync-cloud-'));
  const logger = createLogger({ level: 'silent' });
  const store = Store.open({ path: databasePath(edgeDir), key: randomBytes(32), groupCommit: { maxRows: 20_000, maxDelayMs: 0 } });
  const cloud = await startCloud(loadCloudConfig({ env: { HEMA3N_CLOUD_STATE_DIR: cloudDir, HEMA3N_CLOUD_PORT: '0', HEMA3N_CLOUD_LOG_LEVEL: 'silent' }, cwd: cloudDir }));
  try {
    const caseId = await buildCase(store);
    const identity = await ensureIdentity({ store, audit: new AuditLog(store.db), mode: 'development', actor: 'bench', now: Date.now, warn: () => {} });
    await pairAppliance(cloudDir, identity.applianceId, identity.signPublicKey);
    const url = `http://127.0.0.1:${cloud.port}`;
    const events = await fetch(`${url}/dispatch/events`);
    const reader = events.body!.getReader();
    const worker = new SyncWorker({
      store,
      identity,
      cloud: new CloudClient({ url, signPublicKey: cloud.identity.signPublicKey, timeoutMs: 120_000 }),
      cloudBoxKey: cloud.identity.boxPublicKey,
      logger,
      now: Date.now,
    });
    const linkUp = performance.now();
    let visibleMs = Number.NaN;
    const watching = (async () => {
      let seen = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        seen += new TextDecoder().decode(value);
        if (seen.includes(caseId)) {
          visibleMs = performance.now() - linkUp;
          return;
        }
      }
    })();
    const report = await worker.runOnce();
    const fullMs = performance.now() - linkUp;
    await watching;
    await reader.cancel();
    return { visibleMs, fullMs, envelopes: report.envelopesSent };
  } finally {
    await cloud.stop();
    store.close();
    rmSync(edgeDir, { recursive: true, force: true });
    rmSync(cloudDir, { recursive: true, force: true });
  }
}

/** Envelope throughput on a 4 MB FHIR-like JSON payload, brotli against no compression. */
async function envelopeThroughput(): Promise<Record<string, number>> {
  await readyWire();
  const sign = await generateSigningKeyPair();
  const box = await generateBoxKeyPair();
  const entries = Array.from({ length: 4000 }, (_, i) => ({ resource: { resourceType: 'Observation', id: `obs-${i}`, status: 'final', valueQuantity: { value: 60 + (i % 40), unit: '/min' } } }));
  let payload = Buffer.from(JSON.stringify({ resourceType: 'Bundle', type: 'transaction', entry: entries }));
  while (payload.length < 4 * 1024 * 1024) payload = Buffer.concat([payload, payload]);
  payload = payload.subarray(0, 4 * 1024 * 1024);
  const mb = payload.length / (1024 * 1024);
  const figures: Record<string, number> = {};
  for (const compression of ['brotli', 'none'] as const) {
    const seal = () =>
      sealEnvelope({ payload, kind: 'case-bundle', applianceId: 'bench', sequence: 1, createdAt: Date.now(), signSecretKey: sign.secretKey, recipientBoxPublicKey: box.publicKey, compression });
    const envelope = await seal();
    let t = performance.now();
    for (let i = 0; i < 5; i++) await seal();
    figures[`seal_${compression}_MBps`] = Number(((5 * mb) / ((performance.now() - t) / 1000)).toFixed(1));
    t = performance.now();
    for (let i = 0; i < 5; i++) await openEnvelope(envelope, { verifyKeyFor: () => sign.publicKey, recipientBoxKeyPair: box });
    figures[`open_${compression}_MBps`] = Number(((5 * mb) / ((performance.now() - t) / 1000)).toFixed(1));
    figures[`envelope_${compression}_KiB`] = Math.round(envelope.length / 1024);
  }
  return figures;
}

export async function runSyncBench(): Promise<BenchResult> {
  const runs = [];
  for (let i = 0; i < REPEATS; i++) runs.push(await linkUpToDispatch());
  const visible = runs.map((r) => r.visibleMs).sort((a, b) => a - b);
  const p95 = visible[Math.min(visible.length - 1, Math.ceil(0.95 * visible.length) - 1)]!;
  return {
    name: 'sync',
    figures: {
      case: `${CASE_MINUTES} min, 1 Hz vitals from ${DEVICES.length} devices (${CASE_MINUTES * 60 * 6} measurements), 5 photos, 2 min audio (media travel as references; their bytes are not yet sent)`,
      repeats: REPEATS,
      linkUpToVisibleAtDispatchMs: visible.map((v) => Math.round(v)),
      linkUpToVisibleAtDispatchP95Ms: Math.round(p95),
      linkUpToWholeCaseAtCloudMs: runs.map((r) => Math.round(r.fullMs)),
      envelopesPerCase: runs[0]!.envelopes,
      ...(await envelopeThroughput()),
    },
    targets: { visibleAtDispatchP95: { target: '<= 2000 ms on loopback', met: p95 <= 2000 } },
  };
}

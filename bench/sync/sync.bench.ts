import { mkdtempSync, rmSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateBoxKeyPair, generateSigningKeyPair, openEnvelope, readyWire, sealEnvelope } from '@hema3n/cloud-sync/wire';
import { loadCloudConfig } from '../../cloud-sync/src/config.js';
import { startCloud } from '../../cloud-sync/src/main.js';
import { AuditLog } from '../../edge/src/audit/index.js';
import { ensureIdentity } from '../../edge/src/identity/index.js';
import { createLogger } from '../../edge/src/observability/index.js';
import { databasePath, Store, type VitalSignWrite } from '../../edge/src/store/index.js';
import { CloudClient, DEFAULT_MEDIA_CHUNK_BYTES, SyncWorker } from '../../edge/src/sync/index.js';
import { pairAppliance } from '../../edge/test/support/cloud.js';
import type { BenchResult } from '../run.js';
import { percentile } from '../stats.js';

const CASE_MINUTES = 30;
const DEVICES = ['monitor', 'spo2', 'nibp', 'capno'] as const;
const REPEATS = 5;
const PHOTO_BYTES = 400_000;
/** Two minutes of the stored 16 kHz 16-bit mono WAV. */
const AUDIO_BYTES = 3_840_000;
const MEDIA_BYTES = 5 * PHOTO_BYTES + AUDIO_BYTES;

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
  // Random bytes: neither compresses, as real JPEG and PCM barely do. Stored as the media service stores them (outbox row included).
  const addMedia = (id: string, kind: 'image' | 'audio', contentType: string, data: Buffer, at: number) => {
    const sha256 = createHash('sha256').update(data).digest('hex');
    store.media.insert({ id, caseId, kind, contentType, bytes: data.length, sha256, data, thumbnail: null, width: null, height: null, durationMs: null, origin: 'cli:bench', receivedSha256: sha256, deviceMediaId: null, createdAt: at });
  };
  for (let i = 0; i < 5; i++) addMedia(`photo-${i}`, 'image', 'image/jpeg', randomBytes(PHOTO_BYTES), start + i);
  addMedia('voice-1', 'audio', 'audio/wav', randomBytes(AUDIO_BYTES), start + 10);
  return caseId;
}

interface Run {
  visibleMs: number;
  bundlesMs: number;
  mediaMs: number;
  envelopes: number;
  mediaFiles: number;
}

async function linkUpToDispatch(): Promise<Run> {
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
    // The worker records each case's receipt as it goes; a light poll on the same loop sees when the bundles are done.
    let bundlesMs = Number.NaN;
    const poll = setInterval(() => {
      if (Number.isNaN(bundlesMs) && store.sync.caseState(caseId).state === 'sent') bundlesMs = performance.now() - linkUp;
    }, 5);
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
    // The pass ends when the last media chunk's receipt is in: every file is at the cloud.
    const mediaMs = performance.now() - linkUp;
    clearInterval(poll);
    const { media } = store.sync.counts();
    if (report.failure || media.pendingFiles > 0 || media.rejectedFiles > 0) throw new Error(`sync pass incomplete: ${report.failure ?? JSON.stringify(media)}`);
    await watching;
    await reader.cancel();
    return { visibleMs, bundlesMs, mediaMs, envelopes: report.envelopesSent, mediaFiles: report.mediaFilesSent };
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
  const runs: Run[] = [];
  for (let i = 0; i < REPEATS; i++) runs.push(await linkUpToDispatch());
  const p95 = percentile(runs.map((r) => r.visibleMs), 95);
  const ms = (pick: (run: Run) => number) => runs.map((r) => Math.round(pick(r)));
  return {
    name: 'sync',
    figures: {
      case: `${CASE_MINUTES} min, 1 Hz vitals from ${DEVICES.length} devices (${CASE_MINUTES * 60 * 6} measurements), 5 photos of ${PHOTO_BYTES} bytes, 2 min audio (${AUDIO_BYTES} bytes); the media bytes travel as media chunks of ${DEFAULT_MEDIA_CHUNK_BYTES} bytes after the bundles`,
      repeats: REPEATS,
      linkUpToVisibleAtDispatchMs: ms((r) => r.visibleMs),
      linkUpToVisibleAtDispatchP95Ms: Math.round(p95),
      linkUpToCaseBundlesAtCloudMs: ms((r) => r.bundlesMs),
      linkUpToAllMediaAtCloudMs: ms((r) => r.mediaMs),
      mediaBytesPerCase: MEDIA_BYTES,
      mediaFilesPerCase: runs[0]!.mediaFiles,
      envelopesPerCase: runs[0]!.envelopes,
      ...(await envelopeThroughput()),
    },
    targets: { visibleAtDispatchP95: { target: '<= 2000 ms on loopback', met: p95 <= 2000 } },
  };
}

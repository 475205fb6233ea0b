import { createHash } from 'node:crypto';
import wav from 'node-wav';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_MEDIA_CHUNKS, MediaChunkDescriptor } from '@hema3n/cloud-sync/media-chunk';
import { ensureIdentity } from '../../src/identity/index.js';
import { caseToBundle, snapshotFromStore } from '../../src/fhir/index.js';
import { createLogger } from '../../src/observability/index.js';
import { databasePath, openDatabase, type Store } from '../../src/store/index.js';
import { chunkRange, CloudClient, DEFAULT_MEDIA_CHUNK_BYTES, planChunks, sharedDescriptor, SyncWorker } from '../../src/sync/index.js';
import { loadConfig } from '../../src/config/index.js';
import { photoJpeg, sineWave } from '../media/fixtures.js';
import { runHema3n } from '../support/cli.js';
import { fhirSearch, pairAppliance, startTestCloud, type TestCloud } from '../support/cloud.js';
import { startTestAppliance, type TestAppliance } from '../support/appliance.js';
import { startLinkProxy, type LinkAction, type Upload } from '../support/link-proxy.js';
import { waitUntil } from '../support/mqtt.js';
import { randomKeyHex, useTempDirs } from '../support/temp.js';

const tempDir = useTempDirs();
const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Small chunks, so a photo and a few seconds of audio make dozens of them. */
const CHUNK_BYTES = 4096;

interface Edge {
  readonly dir: string;
  readonly key: string;
}

function newEdge(): Edge {
  return { dir: tempDir(), key: randomKeyHex() };
}

/** The real appliance on the edge's state dir; the same dir and key again is the same box after a restart. */
async function startEdge(edge: Edge, env: Record<string, string>): Promise<TestAppliance> {
  return startTestAppliance(edge.dir, {
    HEMA3N_DB_KEY: edge.key,
    HEMA3N_LOG_LEVEL: 'silent',
    HEMA3N_SYNC_INTERVAL_MS: '200',
    HEMA3N_SYNC_MEDIA_CHUNK_BYTES: String(CHUNK_BYTES),
    ...env,
  });
}

async function pair(cloud: TestCloud, t: TestAppliance): Promise<void> {
  const store = t.appliance.store.store;
  const identity = await ensureIdentity({ store, audit: t.appliance.audit.audit, mode: 'development', actor: 'test', now: Date.now, warn: () => {} });
  await pairAppliance(cloud.stateDir, identity.applianceId, identity.signPublicKey);
}

async function cloudAndEdge(): Promise<{ cloud: TestCloud; t: TestAppliance }> {
  const cloud = await startTestCloud(tempDir());
  cleanups.push(() => cloud.service.stop());
  const t = await startEdge(newEdge(), cloud.edgeEnv);
  cleanups.push(() => t.stop());
  await pair(cloud, t);
  return { cloud, t };
}

/** An appliance whose own sync part is off: the test runs the passes, so nothing goes before the data is in place. */
async function edgeWithManualSync(): Promise<{ cloud: TestCloud; t: TestAppliance; worker: SyncWorker }> {
  const cloud = await startTestCloud(tempDir());
  cleanups.push(() => cloud.service.stop());
  const t = await startEdge(newEdge(), { ...cloud.edgeEnv, HEMA3N_SYNC_ENABLED: 'false' });
  cleanups.push(() => t.stop());
  await pair(cloud, t);
  const store = t.appliance.store.store;
  const worker = new SyncWorker({
    store,
    identity: store.identity.get()!,
    cloud: new CloudClient({ url: cloud.url, signPublicKey: cloud.edgeEnv.HEMA3N_CLOUD_SIGN_KEY!, timeoutMs: 10_000 }),
    cloudBoxKey: cloud.edgeEnv.HEMA3N_CLOUD_BOX_KEY!,
    logger: createLogger({ level: 'silent' }),
    now: Date.now,
    mediaChunkBytes: CHUNK_BYTES,
  });
  return { cloud, t, worker };
}

function wavFile(seconds: number): Buffer {
  return wav.encode([sineWave(440, 16_000, seconds, 0.4)], { sampleRate: 16_000, float: false, bitDepth: 16 });
}

/** A case with a real photo (sharp) and a real WAV recording, stored through the media service as the tablet does. */
async function caseWithMedia(t: TestAppliance, acuity: number, files: { photo?: boolean; audioSeconds?: number } = { photo: true, audioSeconds: 2 }): Promise<{ caseId: string; mediaIds: string[] }> {
  const store = t.appliance.store.store;
  const { id: caseId } = store.cases.create({ actor: 'test', now: Date.now() });
  store.cases.updateClinical(caseId, { acuity }, Date.now());
  const mediaIds: string[] = [];
  const service = t.appliance.media.service;
  if (files.photo) mediaIds.push((await service.add({ caseId, data: await photoJpeg(480, 360), declaredContentType: 'image/jpeg', actor: 'crew:test' })).id);
  if (files.audioSeconds) mediaIds.push((await service.add({ caseId, data: wavFile(files.audioSeconds), declaredContentType: 'audio/wav', actor: 'crew:test' })).id);
  return { caseId, mediaIds };
}

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

/** What the edge's own bundle says of each file: its Media, the Binary it points at, and the SHA-256 in its ni: identifier. */
function mediaInBundle(store: Store, caseId: string): Array<{ mediaResourceId: string; binaryId: string; sha256: string }> {
  const bundle = caseToBundle(snapshotFromStore(store, caseId, store.identity.get()!.applianceId));
  return bundle.entry!.flatMap(({ resource }) => {
    if (resource?.resourceType !== 'Media') return [];
    const digest = resource.identifier![0]!.value!.replace('ni:///sha-256;', '');
    return [{ mediaResourceId: resource.id!, binaryId: resource.content.url!.replace(/^Binary\//, ''), sha256: Buffer.from(digest, 'base64url').toString('hex') }];
  });
}

async function binaryBytes(cloudUrl: string, binaryId: string): Promise<Buffer> {
  const response = await fetch(`${cloudUrl}/fhir/R4/Binary/${binaryId}`);
  expect(response.status).toBe(200);
  return Buffer.from(((await response.json()) as { data: string }).data, 'base64');
}

/** Every file's exact bytes are at the Binary its Media names, and the cloud holds exactly the edge's Media and Binaries, once each. */
async function expectMediaAtCloudOnce(cloud: TestCloud, store: Store, ...caseIds: string[]): Promise<void> {
  const files = caseIds.flatMap((caseId) => mediaInBundle(store, caseId));
  expect(files.map((f) => f.sha256).sort()).toEqual(caseIds.flatMap((caseId) => store.media.forCase(caseId).map((m) => m.sha256)).sort());
  for (const file of files) expect(sha256(await binaryBytes(cloud.url, file.binaryId))).toBe(file.sha256);
  expect((await fhirSearch(cloud.url, 'Media')).ids.sort()).toEqual(files.map((f) => f.mediaResourceId).sort());
  expect((await fhirSearch(cloud.url, 'Binary')).ids.sort()).toEqual(files.map((f) => f.binaryId).sort());
}

/** hema3n_cloud_envelopes_accepted_total{kind="media-chunk"}: media chunks the cloud took (a resend would count again). */
async function mediaChunksAccepted(cloud: TestCloud): Promise<number> {
  const metrics = await (await fetch(`${cloud.url}/metrics`)).text();
  return Number(/^hema3n_cloud_envelopes_accepted_total\{kind="media-chunk"\} (\d+)$/m.exec(metrics)?.[1] ?? 0);
}

/** The edge's durable record of receipted chunks, per file. */
function receiptedChunks(db: Pick<Store['db'], 'prepare'>): Array<{ mediaId: string; idx: number; receiptSequence: number }> {
  return db.prepare('SELECT media_id AS mediaId, idx, receipt_sequence AS receiptSequence FROM media_upload_chunks ORDER BY media_id, idx').all() as Array<{
    mediaId: string;
    idx: number;
    receiptSequence: number;
  }>;
}

function chunkCounts(store: Store): number {
  return (store.db.prepare('SELECT sum(chunk_count) AS n FROM media_uploads').get() as { n: number }).n;
}

describe('media chunk planning', () => {
  it('takes its chunk size from HEMA3N_SYNC_MEDIA_CHUNK_BYTES, 256 KiB by default, and refuses sizes out of bounds', () => {
    const load = (value?: string) => loadConfig({ env: value === undefined ? {} : { HEMA3N_SYNC_MEDIA_CHUNK_BYTES: value }, cwd: tempDir() });
    expect(load().sync.mediaChunkBytes).toBe(DEFAULT_MEDIA_CHUNK_BYTES);
    expect(DEFAULT_MEDIA_CHUNK_BYTES).toBe(256 * 1024);
    expect(load('65536').sync.mediaChunkBytes).toBe(65_536);
    for (const bad of ['4095', String(8 * 1024 * 1024 + 1), '1.5', 'lots']) {
      expect(() => load(bad)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', issues: [expect.objectContaining({ field: 'sync.mediaChunkBytes (HEMA3N_SYNC_MEDIA_CHUNK_BYTES)' })] }));
    }
  });

  it('cuts a file into chunks of the preferred size that cover it exactly, none empty', () => {
    for (const [total, preferred] of [
      [1, 4096],
      [4096, 4096],
      [4097, 4096],
      [10 * 4096 + 17, 4096],
      [262_144 * 3, 262_144],
    ] as const) {
      const plan = planChunks(total, preferred);
      expect(plan.chunkBytes).toBe(preferred);
      const ranges = Array.from({ length: plan.chunkCount }, (_, i) => chunkRange(plan, total, i));
      expect(ranges[0]!.start).toBe(0);
      expect(ranges.at(-1)!.end).toBe(total);
      for (let i = 1; i < ranges.length; i++) expect(ranges[i]!.start).toBe(ranges[i - 1]!.end);
      expect(ranges.every((r) => r.end > r.start && r.end - r.start <= preferred)).toBe(true);
    }
  });

  it('grows the chunks of a file that would need more chunks than the cloud joins', () => {
    const total = 64 * 1024 * 1024;
    const plan = planChunks(total, 4096);
    expect(plan.chunkCount).toBeLessThanOrEqual(MAX_MEDIA_CHUNKS);
    expect(plan.chunkBytes * plan.chunkCount).toBeGreaterThanOrEqual(total);
    expect(chunkRange(plan, total, plan.chunkCount - 1).end).toBe(total);
  });

  it("describes the file as the cloud's schema wants, naming the Binary, Patient and Encounter of the edge's own bundle", () => {
    const media = { id: 'a1b2c3d4-0000-4000-8000-000000000001', caseId: 'case-1', patientId: 'patient-1', contentType: 'image/jpeg', bytes: 10_000, sha256: 'ab'.repeat(32), createdAt: 1_700_000_000_000 };
    const descriptor = sharedDescriptor(media, 'amb-7', planChunks(media.bytes, 4096));
    expect(MediaChunkDescriptor.safeParse({ ...descriptor, index: 2 }).success).toBe(true);
    const bundle = caseToBundle({
      applianceId: 'amb-7',
      case: { id: 'case-1', incidentNumber: null, status: 'dispatched', timeline: [], acuity: null, chiefComplaint: null, createdAt: 1, updatedAt: 1 },
      patient: { id: 'patient-1', unidentified: true, givenName: null, familyName: null, birthDate: null, ageYears: null, sex: null, weightKg: null, allergies: [], homeMedications: [] },
      crew: [],
      devices: [],
      vitals: [],
      assessments: [],
      notes: [],
      interventions: [],
      medications: [],
      media: [{ id: media.id, kind: 'image', contentType: 'image/jpeg', bytes: media.bytes, sha256: media.sha256, createdAt: media.createdAt }],
    });
    const resource = (type: string) => bundle.entry!.find((e) => e.resource!.resourceType === type)!.resource! as { id: string; content?: { url: string } };
    expect(`Binary/${descriptor.binaryId}`).toBe(resource('Media').content!.url);
    expect(descriptor.subject).toBe(`Patient/${resource('Patient').id}`);
    expect(descriptor.encounter).toBe(`Encounter/${resource('Encounter').id}`);
    expect(descriptor).toMatchObject({ chunkCount: 3, totalBytes: 10_000, takenAt: media.createdAt });
  });
});

describe('media to the cloud', () => {
  it('a photo and a recording arrive as the Binaries their Media name, byte for byte, each Media once', async () => {
    const { cloud, t } = await cloudAndEdge();
    const store = t.appliance.store.store;
    const { caseId } = await caseWithMedia(t, 2);
    await waitUntil(() => store.sync.counts().media.pendingFiles === 0 && store.sync.counts().pending === 0, 60_000);
    await expectMediaAtCloudOnce(cloud, store, caseId);
    expect(t.appliance.sync.describe()).toMatchObject({ media: { pendingFiles: 0, pendingBytes: 0, rejectedFiles: 0 } });
    // The dispatch board serves the photo from the edge's Binary.
    const photo = store.media.forCase(caseId).find((m) => m.kind === 'image')!;
    const { binaryId } = mediaInBundle(store, caseId).find((f) => f.sha256 === photo.sha256)!;
    const served = await fetch(`${cloud.url}/dispatch/photos/${binaryId}`);
    expect(served.status).toBe(200);
    expect(sha256(Buffer.from(await served.arrayBuffer()))).toBe(photo.sha256);
  }, 90_000);

  it('sends alerts and bundles before any media, and the media of ESI 1-2 cases before the others', async () => {
    const { cloud, t, worker } = await edgeWithManualSync();
    const store = t.appliance.store.store;
    const minor = await caseWithMedia(t, 4, { audioSeconds: 1 });
    const critical = await caseWithMedia(t, 2, { photo: true });
    expect(await worker.runOnce()).toMatchObject({ reachable: true, failure: null, casesSent: 2, mediaFilesSent: 2, quarantined: 0 });
    const lastCaseReceipt = (store.db.prepare('SELECT max(receipt_sequence) AS last FROM outbox').get() as { last: number }).last;
    const chunks = receiptedChunks(store.db);
    const sequences = (mediaId: string) => chunks.filter((c) => c.mediaId === mediaId).map((c) => c.receiptSequence);
    expect(Math.min(...chunks.map((c) => c.receiptSequence))).toBeGreaterThan(lastCaseReceipt);
    expect(Math.max(...sequences(critical.mediaIds[0]!))).toBeLessThan(Math.min(...sequences(minor.mediaIds[0]!)));
    await expectMediaAtCloudOnce(cloud, store, critical.caseId, minor.caseId);
  }, 90_000);

  it('skips a file deleted on the edge before its bytes went; deleting a file drops its upload record', async () => {
    const { cloud, t, worker } = await edgeWithManualSync();
    const store = t.appliance.store.store;
    const { caseId, mediaIds } = await caseWithMedia(t, 3);
    t.appliance.media.service.delete(mediaIds[0]!, 'crew:test');
    expect(await worker.runOnce()).toMatchObject({ failure: null, mediaFilesSent: 1 });
    expect(store.sync.counts().media).toEqual({ pendingFiles: 0, pendingBytes: 0, rejectedFiles: 0 });
    await expectMediaAtCloudOnce(cloud, store, caseId);
    expect((await fhirSearch(cloud.url, 'Binary')).total).toBe(1);
    t.appliance.media.service.delete(mediaIds[1]!, 'crew:test');
    expect(store.db.prepare('SELECT count(*) AS n FROM media_uploads').get()).toEqual({ n: 0 });
    expect(receiptedChunks(store.db)).toEqual([]);
  }, 90_000);

  it('deletes at the cloud a photo the crew deleted after it went: its Binary and Media are gone, and so is its place on the board', async () => {
    const { cloud, t, worker } = await edgeWithManualSync();
    const store = t.appliance.store.store;
    const { caseId, mediaIds } = await caseWithMedia(t, 2, { photo: true });
    expect(await worker.runOnce()).toMatchObject({ failure: null, mediaFilesSent: 1 });
    const [sent] = mediaInBundle(store, caseId);
    expect((await fetch(`${cloud.url}/fhir/R4/Binary/${sent!.binaryId}`)).status).toBe(200);

    t.appliance.media.service.delete(mediaIds[0]!, 'crew:test');
    expect(await worker.runOnce()).toMatchObject({ failure: null, casesSent: 1 });
    expect((await fetch(`${cloud.url}/fhir/R4/Binary/${sent!.binaryId}`)).status).toBe(404);
    expect((await fhirSearch(cloud.url, 'Media')).ids).not.toContain(sent!.mediaResourceId);
    expect((await fetch(`${cloud.url}/dispatch/photos/${sent!.binaryId}`)).status).toBe(404);
    // Done once: the deletion is not sent again.
    expect(store.sync.counts().pending).toBe(0);
    expect(await worker.runOnce()).toMatchObject({ failure: null, casesSent: 0 });
  }, 90_000);

  it('arrives whole and exactly once through a link that cuts uploads mid-body, never resending a receipted chunk', async () => {
    const cloud = await startTestCloud(tempDir());
    cleanups.push(() => cloud.service.stop());
    // Every other media chunk is cut, six times: each cut ends the pass, the next resumes.
    let cutsLeft = 6;
    const cutEveryOther = ({ kind, number }: Upload): LinkAction => (kind === 'media-chunk' && number % 2 === 0 && cutsLeft-- > 0 ? 'cut' : 'pass');
    const proxy = await startLinkProxy(cloud.service.port, cutEveryOther);
    cleanups.push(() => proxy.close());
    const edge = newEdge();
    const t = await startEdge(edge, { ...cloud.edgeEnv, HEMA3N_CLOUD_URL: proxy.url });
    cleanups.push(() => t.stop());
    await pair(cloud, t);
    const store = t.appliance.store.store;
    const { caseId } = await caseWithMedia(t, 2);
    await waitUntil(() => store.sync.counts().media.pendingFiles === 0 && store.sync.counts().pending === 0, 90_000);
    expect(proxy.cuts()).toBe(6);
    await expectMediaAtCloudOnce(cloud, store, caseId);
    const chunks = chunkCounts(store);
    expect(receiptedChunks(store.db)).toHaveLength(chunks);
    // Each chunk went through the link whole exactly once, and the cloud took each once.
    expect(proxy.forwarded('media-chunk')).toBe(chunks);
    expect(await mediaChunksAccepted(cloud)).toBe(chunks);
  }, 120_000);

  it('resumes after an edge restart between chunks, from the first unreceipted one', async () => {
    const cloud = await startTestCloud(tempDir());
    cleanups.push(() => cloud.service.stop());
    // Three chunks get through; the fourth hangs on the link until the edge stops.
    const proxy = await startLinkProxy(cloud.service.port, ({ kind, number }) => (kind === 'media-chunk' && number > 3 ? 'hold' : 'pass'));
    cleanups.push(() => proxy.close());
    const edge = newEdge();
    // A timeout longer than the test: only the stop itself can end the hanging request.
    const first = await startEdge(edge, { ...cloud.edgeEnv, HEMA3N_CLOUD_URL: proxy.url, HEMA3N_SYNC_TIMEOUT_MS: '600000' });
    cleanups.push(() => first.stop());
    await pair(cloud, first);
    const { caseId, mediaIds } = await caseWithMedia(first, 3, { audioSeconds: 2 });
    await waitUntil(() => proxy.held() === 1, 60_000);
    const total = first.appliance.store.store.media.get(mediaIds[0]!)!.bytes;
    expect(first.appliance.sync.describe()).toMatchObject({ media: { pendingFiles: 1, pendingBytes: total - 3 * CHUNK_BYTES } });
    await first.stop();

    const env = { HEMA3N_STATE_DIR: edge.dir, HEMA3N_DB_KEY: edge.key, ...cloud.edgeEnv };
    const status = JSON.parse((await runHema3n(['sync', 'status', '--json'], env)).stdout) as { media: unknown };
    expect(status.media).toEqual({ pendingFiles: 1, pendingBytes: total - 3 * CHUNK_BYTES, rejectedFiles: 0 });
    const db = openDatabase({ path: databasePath(edge.dir), key: Buffer.from(edge.key, 'hex'), readonly: true });
    const beforeRestart = receiptedChunks(db);
    db.close();
    expect(beforeRestart.map((c) => c.idx)).toEqual([0, 1, 2]);

    const second = await startEdge(edge, cloud.edgeEnv);
    cleanups.push(() => second.stop());
    const store = second.appliance.store.store;
    await waitUntil(() => store.sync.counts().media.pendingFiles === 0, 60_000);
    await expectMediaAtCloudOnce(cloud, store, caseId);
    const after = receiptedChunks(store.db);
    expect(after.slice(0, 3)).toEqual(beforeRestart);
    expect(after.map((c) => c.idx)).toEqual([...Array(chunkCounts(store)).keys()]);
    expect(await mediaChunksAccepted(cloud)).toBe(chunkCounts(store));
  }, 120_000);
});

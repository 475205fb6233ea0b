import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { databasePath, openDatabase } from '../../src/store/index.js';
import { buildScenario, playScenario, type DeviceCredentials } from '../../src/simulate/index.js';
import { runHema3n } from '../support/cli.js';
import { fhirSearch, pairAppliance, startTestCloud, type TestCloud } from '../support/cloud.js';
import { startDaemon, type RunningDaemon } from '../support/daemon.js';
import { waitUntil } from '../support/mqtt.js';
import { randomKeyHex, useTempDirs } from '../support/temp.js';

const tempDir = useTempDirs();
const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Edge {
  env: Record<string, string>;
  dir: string;
  key: string;
}

/** A paired appliance whose daemon runs as a real process (so it can be killed with SIGKILL). */
async function pairedEdge(cloud: TestCloud): Promise<Edge> {
  const dir = tempDir();
  const key = randomKeyHex();
  // Automatic model assessments only when the rules change: an interval run landing mid-count would add a resource.
  const env = { HEMA3N_STATE_DIR: dir, HEMA3N_DB_KEY: key, HEMA3N_SYNC_INTERVAL_MS: '200', HEMA3N_ASSESS_INTERVAL_MS: '3600000', ...cloud.edgeEnv };
  const identity = JSON.parse((await runHema3n(['identity', '--json'], env)).stdout) as { applianceId: string; signPublicKey: string };
  await pairAppliance(cloud.stateDir, identity.applianceId, identity.signPublicKey);
  return { env, dir, key };
}

async function mqttUrl(daemon: RunningDaemon): Promise<string> {
  const health = (await (await fetch(`${daemon.baseUrl}/health`)).json()) as { ports: { mqtt: number } };
  return `mqtt://127.0.0.1:${health.ports.mqtt}`;
}

/** A case with a few minutes of simulated data, played into the running daemon. */
async function feedCase(edge: Edge, daemon: RunningDaemon): Promise<string> {
  const caseId = (JSON.parse((await runHema3n(['cases', 'create', '--json'], edge.env)).stdout) as { id: string }).id;
  const scenario = buildScenario('sepsis', { durationSeconds: 240, seed: 5, startAt: Date.now() - 240_000 });
  const devices = new Map<string, DeviceCredentials>();
  for (const d of scenario.devices) {
    const added = JSON.parse((await runHema3n(['devices', 'add', `sep-${d.idSuffix}-${caseId.slice(0, 4)}`, '--kind', d.kind, '--json'], edge.env)).stdout);
    devices.set(d.idSuffix, added);
  }
  await playScenario(scenario, { mqttUrl: await mqttUrl(daemon), devices, playSeconds: 2 });
  return caseId;
}

/** A count read from the edge's database while its daemon runs (or after it was killed). */
function countRows(edge: Edge, sql: string): number {
  const db = openDatabase({ path: databasePath(edge.dir), key: Buffer.from(edge.key, 'hex'), readonly: true });
  try {
    return (db.prepare(sql).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

const pendingOutbox = (edge: Edge): number => countRows(edge, `SELECT count(*) AS n FROM outbox WHERE state = 'pending'`);
const receiptedChunks = (edge: Edge): number => countRows(edge, 'SELECT count(*) AS n FROM media_upload_chunks');

/** A photo of noise, which JPEG cannot shrink: at 4 KiB chunks, dozens of them. */
async function noisePhoto(dir: string): Promise<string> {
  const [width, height] = [320, 240];
  const file = join(dir, 'scene.jpg');
  writeFileSync(file, await sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } }).jpeg({ quality: 95 }).toBuffer());
  return file;
}

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

async function expectExactlyOnce(cloud: TestCloud, edge: Edge, caseId: string): Promise<void> {
  const bundle = JSON.parse((await runHema3n(['cases', 'export', caseId, '--fhir', '--json'], edge.env)).stdout) as {
    entry: Array<{ resource: { resourceType: string; id: string } }>;
  };
  const expected = bundle.entry.filter((e) => e.resource.resourceType === 'Observation').map((e) => e.resource.id).sort();
  // Vital signs follow by watermark after the outbox drains: give the live sync a few passes.
  let ids: string[] = [];
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 300))) {
    ids = (await fhirSearch(cloud.url, 'Observation')).ids;
    if (ids.length >= expected.length) break;
  }
  expect(new Set(ids).size).toBe(ids.length);
  expect(ids.sort()).toEqual(expected);
}

describe('sync reliability', () => {
  it('loses and duplicates nothing when the edge is killed with SIGKILL mid-sync', async () => {
    const cloud = await startTestCloud(tempDir());
    cleanups.push(() => cloud.service.stop());
    const edge = await pairedEdge(cloud);
    let daemon = await startDaemon(edge.env);
    const caseId = await feedCase(edge, daemon);
    // Kill it as soon as the first receipts are in, while the rest is still going out.
    await waitUntil(() => daemon.logs().length > 0 && pendingOutbox(edge) < 3, 30_000).catch(() => {});
    daemon.child.kill('SIGKILL');
    await daemon.exited;
    daemon = await startDaemon(edge.env);
    cleanups.push(() => daemon.stop());
    await waitUntil(() => pendingOutbox(edge) === 0, 60_000);
    await expectExactlyOnce(cloud, edge, caseId);
  }, 180_000);

  it('resumes a photo upload after SIGKILL between its chunks: the Binary arrives whole, once', async () => {
    const cloud = await startTestCloud(tempDir());
    cleanups.push(() => cloud.service.stop());
    const edge = await pairedEdge(cloud);
    edge.env.HEMA3N_SYNC_MEDIA_CHUNK_BYTES = '4096';
    const caseId = (JSON.parse((await runHema3n(['cases', 'create', '--json'], edge.env)).stdout) as { id: string }).id;
    await runHema3n(['media', 'add', caseId, await noisePhoto(tempDir())], edge.env);
    let daemon = await startDaemon(edge.env);
    await waitUntil(() => receiptedChunks(edge) >= 3, 60_000);
    daemon.child.kill('SIGKILL');
    await daemon.exited;
    const beforeRestart = receiptedChunks(edge);
    daemon = await startDaemon(edge.env);
    cleanups.push(() => daemon.stop());
    const bundle = JSON.parse((await runHema3n(['cases', 'export', caseId, '--fhir', '--json'], edge.env)).stdout) as {
      entry: Array<{ resource: { resourceType: string; id: string; content?: { url: string; size: number }; identifier?: Array<{ value: string }> } }>;
    };
    const media = bundle.entry.map((e) => e.resource).find((r) => r.resourceType === 'Media')!;
    const chunkCount = Math.ceil(media.content!.size / 4096);
    expect(beforeRestart).toBeLessThan(chunkCount);
    await waitUntil(() => receiptedChunks(edge) === chunkCount, 60_000);
    const binaryId = media.content!.url.replace('Binary/', '');
    const binary = (await (await fetch(`${cloud.url}/fhir/R4/Binary/${binaryId}`)).json()) as { data: string };
    const expectedSha = Buffer.from(media.identifier![0]!.value.replace('ni:///sha-256;', ''), 'base64url').toString('hex');
    expect(sha256(Buffer.from(binary.data, 'base64'))).toBe(expectedSha);
    expect((await fhirSearch(cloud.url, 'Binary')).ids).toEqual([binaryId]);
    expect((await fhirSearch(cloud.url, 'Media')).ids).toEqual([media.id]);
  }, 180_000);

  it('carries on after a cloud-sync restart in the middle of a case', async () => {
    const cloudDir = tempDir();
    let cloud = await startTestCloud(cloudDir);
    const port = cloud.service.port;
    const edge = await pairedEdge(cloud);
    const daemon = await startDaemon(edge.env);
    cleanups.push(() => daemon.stop());
    const caseId = await feedCase(edge, daemon);
    await cloud.service.stop();
    await new Promise((r) => setTimeout(r, 500));
    cloud = await startTestCloud(cloudDir, port);
    const restarted = cloud;
    cleanups.push(() => restarted.service.stop());
    await waitUntil(() => pendingOutbox(edge) === 0, 60_000);
    await expectExactlyOnce(cloud, edge, caseId);
  }, 180_000);
});

import { createHash } from 'node:crypto';
import type { MqttClient } from 'mqtt';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { TestAppliance } from '../support/appliance.js';
import { startTestAppliance } from '../support/appliance.js';
import { connectDevice, listenForReplies, publishAcked, waitUntil } from '../support/mqtt.js';
import { randomKeyHex } from '../support/temp.js';
import { COMMENT_TEXT, jpegWithEverything } from './fixtures.js';
import { decryptedPages, windowFinder } from './forensics.js';
import { auditRows, useMediaAppliance } from './media-support.js';

const startAppliance = useMediaAppliance();

type Reply = Record<string, unknown>;

interface Transfer {
  readonly topic: string;
  readonly manifest: string;
  readonly chunks: Buffer[];
}

/** A device's side of the protocol: the manifest, then HMC1 chunks (magic, uint32 LE index, bytes). */
function transfer(deviceId: string, mediaId: string, file: Buffer, chunkBytes: number, contentType = 'image/jpeg'): Transfer {
  const chunks: Buffer[] = [];
  for (let at = 0; at < file.length; at += chunkBytes) {
    const header = Buffer.alloc(8);
    header.write('HMC1', 0, 'latin1');
    header.writeUInt32LE(chunks.length, 4);
    chunks.push(Buffer.concat([header, file.subarray(at, at + chunkBytes)]));
  }
  const manifest = {
    type: 'manifest',
    mediaId,
    kind: contentType.split('/')[0],
    contentType,
    totalBytes: file.length,
    sha256: createHash('sha256').update(file).digest('hex'),
    chunkCount: chunks.length,
  };
  return { topic: `hema3n/v1/devices/${deviceId}/media/${mediaId}`, manifest: JSON.stringify(manifest), chunks };
}

async function send(client: MqttClient, t: Transfer, indices: readonly number[]): Promise<void> {
  for (const index of indices) await publishAcked(client, t.topic, t.chunks[index]!);
}

function replyOf(replies: readonly Reply[], type: string): Reply | undefined {
  return replies.findLast((r) => r.type === type);
}

async function camera(t: TestAppliance, id = 'cam-1'): Promise<{ id: string; secret: string; client: MqttClient; replies: Reply[] }> {
  const device = await t.addDevice(id, 'camera');
  const client = await connectDevice(t.mqttUrl, device.id, device.secret);
  return { ...device, client, replies: await listenForReplies(client, device.id) };
}

function staged(t: TestAppliance): { transfers: number; chunks: number } {
  return t.appliance.store.store.mediaTransfers.count();
}

describe('photos sent by a device in chunks over MQTT', () => {
  it('stores a photo sent out of order, with a duplicate chunk and a reconnect in the middle, in the active case without its metadata', async () => {
    const t = await startAppliance();
    const cam = await camera(t);
    const photo = await jpegWithEverything(1024, 768);
    const job = transfer(cam.id, 'IMG_0042', photo, 4096);
    const count = job.chunks.length;
    expect(count).toBeGreaterThan(8);

    await publishAcked(cam.client, job.topic, job.manifest);
    await waitUntil(() => replyOf(cam.replies, 'media.progress') !== undefined);
    expect(replyOf(cam.replies, 'media.progress')).toMatchObject({ mediaId: 'IMG_0042', chunkCount: count, receivedChunks: 0 });
    const firstHalf = [5, 0, 3, 1, 4, 2, 3];
    await send(cam.client, job, firstHalf);
    expect(staged(t)).toEqual({ transfers: 1, chunks: 6 });

    cam.client.end(true);
    const again = await connectDevice(t.mqttUrl, cam.id, cam.secret);
    const replies = await listenForReplies(again, cam.id);
    await publishAcked(again, job.topic, job.manifest);
    await waitUntil(() => replyOf(replies, 'media.progress') !== undefined);
    const rest = Array.from({ length: count - 6 }, (_, i) => i + 6);
    expect(replyOf(replies, 'media.progress')).toMatchObject({ receivedChunks: 6, missing: rest });
    await send(again, job, [...rest].reverse());

    await waitUntil(() => replyOf(replies, 'media.stored') !== undefined);
    const stored = replyOf(replies, 'media.stored')!;
    expect(stored).toMatchObject({ mediaId: 'IMG_0042', kind: 'image', contentType: 'image/jpeg' });
    const store = t.appliance.store.store;
    const row = store.media.get(stored.id as string)!;
    expect(row).toMatchObject({ caseId: t.caseId, origin: `device:${cam.id}`, width: 768, height: 1024 });
    const jpeg = store.media.data(row.id)!;
    expect((await sharp(jpeg).metadata()).exif).toBeUndefined();
    expect(jpeg.includes(Buffer.from(COMMENT_TEXT, 'latin1'))).toBe(false);
    expect(staged(t)).toEqual({ transfers: 0, chunks: 0 });
    expect(auditRows(t).filter((r) => r.action === 'media.create')).toEqual([{ actor: `device:${cam.id}`, action: 'media.create', resource: `media/${row.id}`, reason: `case/${t.caseId}` }]);

    // A late resend changes nothing; the manifest again is answered with the stored file.
    await publishAcked(again, job.topic, job.chunks[0]!);
    await publishAcked(again, job.topic, job.manifest);
    await waitUntil(() => replies.filter((r) => r.type === 'media.stored').length === 2);
    expect(replies.filter((r) => r.type === 'media.stored').map((r) => r.id)).toEqual([row.id, row.id]);
    expect(t.mediaRows()).toBe(1);
    again.end(true);
  });

  it('tells the device MEDIA_REASSEMBLY_TIMEOUT when a transfer stalls, and deletes the chunks it had staged down to their pages', async () => {
    const keyHex = randomKeyHex();
    // Long enough that the staged chunks are still there when first looked for, even on a loaded machine.
    const t = await startAppliance({ HEMA3N_MEDIA_TRANSFER_TIMEOUT_MS: '2000', HEMA3N_DB_KEY: keyHex });
    const cam = await camera(t);
    const job = transfer(cam.id, 'stalled-1', await jpegWithEverything(320, 240), 2048);
    await publishAcked(cam.client, job.topic, job.manifest);
    await send(cam.client, job, [0, 1]);
    const chunkBytes = windowFinder({ chunk0: job.chunks[0]!.subarray(8), chunk1: job.chunks[1]!.subarray(8) });
    const pages = () => decryptedPages(t.stateDir, Buffer.from(keyHex, 'hex'));
    expect(chunkBytes(pages())).toEqual(['chunk0', 'chunk1']);

    await waitUntil(() => replyOf(cam.replies, 'rejected') !== undefined);

    expect(replyOf(cam.replies, 'rejected')).toMatchObject({
      type: 'rejected',
      code: 'MEDIA_REASSEMBLY_TIMEOUT',
      mediaId: 'stalled-1',
      seq: null,
      topic: job.topic,
    });
    expect(staged(t)).toEqual({ transfers: 0, chunks: 0 });
    expect(chunkBytes(pages())).toEqual([]);
    const rejections = () => cam.replies.filter((r) => r.type === 'rejected');
    const before = rejections().length;
    await publishAcked(cam.client, job.topic, job.chunks[2]!);
    await waitUntil(() => rejections().length > before);
    expect(new Set(rejections().map((r) => r.code))).toEqual(new Set(['MEDIA_REASSEMBLY_TIMEOUT']));
    expect(staged(t)).toEqual({ transfers: 0, chunks: 0 });
    expect(t.mediaRows()).toBe(0);
    cam.client.end(true);
  });

  it('keeps acknowledged chunks across a restart of the appliance and finishes the transfer afterwards', async () => {
    const keyHex = randomKeyHex();
    const first = await startAppliance({ HEMA3N_DB_KEY: keyHex });
    const cam = await camera(first);
    const job = transfer(cam.id, 'across-restart', await jpegWithEverything(640, 480), 4096);
    await publishAcked(cam.client, job.topic, job.manifest);
    await send(cam.client, job, [0, 1, 2]);
    cam.client.end(true);
    await first.stop();

    const second = await startTestAppliance(first.stateDir, { HEMA3N_DB_KEY: keyHex });
    try {
      const client = await connectDevice(second.mqttUrl, cam.id, cam.secret);
      const replies = await listenForReplies(client, cam.id);
      await publishAcked(client, job.topic, job.manifest);
      await waitUntil(() => replyOf(replies, 'media.progress') !== undefined);
      const missing = Array.from({ length: job.chunks.length - 3 }, (_, i) => i + 3);
      expect(replyOf(replies, 'media.progress')).toMatchObject({ receivedChunks: 3, missing });
      await send(client, job, missing);
      await waitUntil(() => replyOf(replies, 'media.stored') !== undefined);
      expect(second.appliance.store.store.media.get(replyOf(replies, 'media.stored')!.id as string)).toMatchObject({ caseId: first.caseId });
      client.end(true);
    } finally {
      await second.stop();
    }
  });
});

describe('refused device transfers', () => {
  it('names every bad manifest field at once, refuses a chunk without a manifest, and a type never accepted before any chunk', async () => {
    const t = await startAppliance();
    const cam = await camera(t);
    const topic = `hema3n/v1/devices/${cam.id}/media/bad-1`;
    await publishAcked(cam.client, topic, JSON.stringify({ type: 'manifest', mediaId: 'other', kind: 'image', contentType: 'audio/wav', totalBytes: 10, sha256: 'xyz', chunkCount: 20 }));
    await publishAcked(cam.client, `hema3n/v1/devices/${cam.id}/media/never-begun`, transfer(cam.id, 'never-begun', Buffer.from('abc'), 3).chunks[0]!);
    const gif = transfer(cam.id, 'anim-1', Buffer.from('GIF89a'), 6, 'image/gif');
    await publishAcked(cam.client, gif.topic, gif.manifest);

    await waitUntil(() => cam.replies.length === 3);

    expect(cam.replies[0]).toMatchObject({ type: 'rejected', code: 'MEDIA_MANIFEST_INVALID', mediaId: 'bad-1' });
    expect((cam.replies[0]!.issues as Array<{ field: string }>).map((i) => i.field).sort()).toEqual(['chunkCount', 'contentType', 'mediaId', 'sha256']);
    expect(cam.replies[1]).toMatchObject({ type: 'rejected', code: 'MEDIA_TRANSFER_UNKNOWN', mediaId: 'never-begun' });
    expect(cam.replies[2]).toMatchObject({ type: 'rejected', code: 'MEDIA_UNSUPPORTED_TYPE', mediaId: 'anim-1' });
    expect(staged(t)).toEqual({ transfers: 0, chunks: 0 });
    cam.client.end(true);
  });

  it('refuses a reassembled file that fails its checksum or is not a photo, and keeps none of its chunks', async () => {
    const t = await startAppliance();
    const cam = await camera(t);
    const photo = await jpegWithEverything(320, 240);
    const tampered = transfer(cam.id, 'tampered', photo, 4096);
    const altered = tampered.chunks[1]!;
    altered[100] = altered[100]! ^ 0xff;
    const text = transfer(cam.id, 'not-a-photo', Buffer.from('BP 120/80, HR 88, SpO2 97 %\n'.repeat(50)), 512);

    for (const job of [tampered, text]) {
      await publishAcked(cam.client, job.topic, job.manifest);
      await send(cam.client, job, job.chunks.map((_, i) => i));
    }
    await waitUntil(() => cam.replies.filter((r) => r.type === 'rejected').length === 2);

    expect(cam.replies.filter((r) => r.type === 'rejected').map((r) => [r.mediaId, r.code])).toEqual([
      ['tampered', 'MEDIA_CHECKSUM_MISMATCH'],
      ['not-a-photo', 'MEDIA_UNSUPPORTED_TYPE'],
    ]);
    expect(staged(t)).toEqual({ transfers: 0, chunks: 0 });
    expect(t.mediaRows()).toBe(0);
    cam.client.end(true);
  });

  it('refuses a transfer while no case is active: the media would belong to no case', async () => {
    const t = await startAppliance();
    const store = t.appliance.store.store;
    store.cases.setStatus(t.caseId, 'closed', 'test', Date.now());
    const cam = await camera(t);
    const job = transfer(cam.id, 'no-case', await jpegWithEverything(320, 240), 4096);

    await publishAcked(cam.client, job.topic, job.manifest);
    await waitUntil(() => cam.replies.length === 1);

    expect(cam.replies[0]).toMatchObject({ type: 'rejected', code: 'MEDIA_NO_ACTIVE_CASE' });
    expect(staged(t)).toEqual({ transfers: 0, chunks: 0 });
    cam.client.end(true);
  });
});

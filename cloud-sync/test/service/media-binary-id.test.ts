import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Binary, Bundle } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseSummary } from '../../src/dispatch/index.js';
import { frameMediaChunk, MEDIA_FILE, mediaResourceIds, parseMediaChunk, type MediaChunkDescriptor } from '../../src/media/index.js';
import { errorCode, EventStreamReader, getFhir, newAppliance, pair, postEnvelope, seal, sealCase, startTestCloud, tempStateDir, type TestAppliance, type TestCloud } from './helpers.js';

let state: ReturnType<typeof tempStateDir>;
let cloud: TestCloud;
let appliance: TestAppliance;
let sequence = 0;

beforeAll(async () => {
  state = tempStateDir();
  cloud = await startTestCloud(state.dir);
  appliance = await newAppliance('amb-0042');
  await pair(cloud, appliance);
});

afterAll(async () => {
  await cloud?.service.stop();
  state?.remove();
});

const file = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7) % 256));
const pieces = [file.subarray(0, 1500), file.subarray(1500)];
/** The id the appliance's own case bundle gave the file's Binary (a UUIDv5 on the edge). */
const EDGE_BINARY_ID = '6f1c2b3a-4d5e-5f60-8a7b-9c0d1e2f3a4b';

function descriptor(mediaId: string, index: number, extra: Partial<MediaChunkDescriptor> = {}): MediaChunkDescriptor {
  return {
    mediaId,
    caseId: 'case-media',
    index,
    chunkCount: 2,
    totalBytes: file.length,
    sha256: createHash('sha256').update(file).digest('hex'),
    contentType: 'image/jpeg',
    binaryId: EDGE_BINARY_ID,
    ...extra,
  };
}

function postChunk(chunk: MediaChunkDescriptor, bytes: Uint8Array): Promise<Response> {
  return seal(cloud, appliance, { kind: 'media-chunk', sequence: ++sequence, contentType: chunk.contentType, payload: frameMediaChunk(chunk, bytes) }).then((envelope) =>
    postEnvelope(cloud.url, envelope),
  );
}

async function search(type: string): Promise<string[]> {
  const { body } = await getFhir<Bundle>(cloud.url, `${type}?_count=1000`);
  return (body.entry ?? []).map((entry) => entry.resource!.id!);
}

describe('media chunks naming the Binary of the appliance’s own bundle', () => {
  it('are stored as that Binary, with no Media of the cloud’s own, and the photo shown on the board', async () => {
    const stream = await EventStreamReader.open(`${cloud.url}/dispatch/events`);
    try {
      for (const index of [1, 0]) expect((await postChunk(descriptor('photo-edge', index), pieces[index]!)).status).toBe(200);
      const binary = await getFhir<Binary>(cloud.url, `Binary/${EDGE_BINARY_ID}`);
      expect(binary.status).toBe(200);
      expect(Buffer.from(binary.body.data!, 'base64').equals(file)).toBe(true);
      expect(await search('Media')).toEqual([]);
      expect(await search('Binary')).toEqual([EDGE_BINARY_ID]);
      expect((await getFhir(cloud.url, `Binary/${mediaResourceIds('amb-0042', 'photo-edge').binaryId}`)).status).toBe(404);
      const update = await stream.next((event) => event.event === 'case' && (event.data as { case: CaseSummary }).case.photos.length > 0);
      expect((update.data as { case: CaseSummary }).case.photos).toEqual([{ binaryId: EDGE_BINARY_ID, contentType: 'image/jpeg' }]);
      const served = await fetch(`${cloud.url}/dispatch/photos/${EDGE_BINARY_ID}`);
      expect(Buffer.from(await served.arrayBuffer()).equals(file)).toBe(true);
    } finally {
      await stream.close();
    }
  });

  it('sent again after the file was whole, change nothing', async () => {
    for (const index of [0, 1]) expect((await postChunk(descriptor('photo-edge', index), pieces[index]!)).status).toBe(200);
    expect((await getFhir<Binary>(cloud.url, `Binary/${EDGE_BINARY_ID}`)).body.meta?.versionId).toBe('1');
    expect(await search('Binary')).toEqual([EDGE_BINARY_ID]);
    expect(await search('Media')).toEqual([]);
  });

  it('without a binaryId still get a Binary and a Media named by the cloud', async () => {
    for (const index of [0, 1]) expect((await postChunk(descriptor('photo-cloud', index, { binaryId: undefined }), pieces[index]!)).status).toBe(200);
    const { binaryId, mediaResourceId } = mediaResourceIds('amb-0042', 'photo-cloud');
    expect((await getFhir(cloud.url, `Binary/${binaryId}`)).status).toBe(200);
    expect(await search('Media')).toEqual([mediaResourceId]);
  });

  it('are refused as MEDIA_CHUNK_INVALID when the binaryId is not a FHIR id, naming the field', async () => {
    for (const binaryId of ['Binary/abc', 'has space', 'x'.repeat(65), '']) {
      const response = await postChunk(descriptor('photo-bad', 0, { binaryId }), pieces[0]!);
      expect(response.status).toBe(400);
      const outcome = (await response.json()) as { issue: Array<{ details: { coding: Array<{ code: string }> }; expression?: string[] }> };
      expect(outcome.issue[0]!.details.coding[0]!.code).toBe('MEDIA_CHUNK_INVALID');
      expect(outcome.issue.flatMap((issue) => issue.expression ?? [])).toContain('descriptor.binaryId');
    }
  });

  it('are refused when a later chunk names another Binary than the first', async () => {
    expect((await postChunk(descriptor('photo-switch', 0), pieces[0]!)).status).toBe(200);
    const response = await postChunk(descriptor('photo-switch', 1, { binaryId: 'another-binary' }), pieces[1]!);
    expect(response.status).toBe(400);
    expect(await errorCode(response)).toBe('MEDIA_CHUNK_INVALID');
  });

  it('of a recording larger than medplum would take as one string (1 MB) are stored whole', async () => {
    const recording = Buffer.alloc(3 * 1024 * 1024 + 5);
    for (let i = 0; i < recording.length; i++) recording[i] = (i * 131 + (i >> 9)) % 256;
    const chunkBytes = 1024 * 1024;
    const binaryId = 'rec-edge-1';
    const shared = { mediaId: 'voice-big', caseId: 'case-media', chunkCount: 4, totalBytes: recording.length, sha256: createHash('sha256').update(recording).digest('hex'), contentType: 'audio/wav', binaryId };
    for (let index = 0; index < 4; index++) {
      expect((await postChunk({ ...shared, index }, recording.subarray(index * chunkBytes, (index + 1) * chunkBytes))).status).toBe(200);
    }
    const binary = await getFhir<Binary>(cloud.url, `Binary/${binaryId}`);
    expect(binary.status).toBe(200);
    expect(Buffer.from(binary.body.data!, 'base64').equals(recording)).toBe(true);
  });

  it('keep the binaryId through framing and parsing', () => {
    const parsed = parseMediaChunk(frameMediaChunk(descriptor('photo-frame', 1), pieces[1]!));
    expect(parsed.descriptor.binaryId).toBe(EDGE_BINARY_ID);
    expect(Buffer.from(parsed.bytes).equals(pieces[1]!)).toBe(true);
  });
});

describe('Binary data in a transaction', () => {
  it('is checked as base64 by the cloud itself, naming the element', async () => {
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [{ resource: { resourceType: 'Binary', id: 'bad-data', contentType: 'image/jpeg', data: 'not base64!' }, request: { method: 'PUT', url: 'Binary/bad-data' } }],
    };
    const response = await postEnvelope(cloud.url, await sealCase(cloud, appliance, ++sequence, 'case-media', bundle));
    expect(response.status).toBe(422);
    const outcome = (await response.json()) as { issue: Array<{ details: { coding: Array<{ code: string }> }; expression?: string[] }> };
    expect(outcome.issue[0]!.details.coding[0]!.code).toBe('FHIR_INVALID');
    expect(outcome.issue.flatMap((issue) => issue.expression ?? [])).toEqual(['Bundle.entry[0].resource.data']);
  });
});

describe('the chunk store', () => {
  it('keeps no copy of a file once it is whole: its chunks are zeroed and the WAL emptied', async () => {
    const own = tempStateDir();
    const scrubbed = await startTestCloud(own.dir);
    try {
      const sender = await newAppliance('amb-0043');
      await pair(scrubbed, sender);
      const photo = randomBytes(6000);
      const halves = [photo.subarray(0, 3000), photo.subarray(3000)];
      const post = async (index: number): Promise<number> => {
        const chunk = descriptor('photo-scrubbed', index, { totalBytes: photo.length, sha256: createHash('sha256').update(photo).digest('hex'), binaryId: 'bin-scrubbed' });
        const envelope = await seal(scrubbed, sender, { kind: 'media-chunk', sequence: index + 1, contentType: chunk.contentType, payload: frameMediaChunk(chunk, halves[index]!) });
        return (await postEnvelope(scrubbed.url, envelope)).status;
      };
      const chunkStoreHas = (needle: Buffer): boolean =>
        [MEDIA_FILE, `${MEDIA_FILE}-wal`].some((name) => existsSync(join(own.dir, name)) && readFileSync(join(own.dir, name)).includes(needle));
      const needle = halves[0]!.subarray(1000, 1064);
      expect(await post(0)).toBe(200);
      expect(chunkStoreHas(needle)).toBe(true);
      expect(await post(1)).toBe(200);
      expect((await getFhir<Binary>(scrubbed.url, 'Binary/bin-scrubbed')).status).toBe(200);
      expect(chunkStoreHas(needle)).toBe(false);
    } finally {
      await scrubbed.service.stop();
      own.remove();
    }
  });
});

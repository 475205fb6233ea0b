import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Problem } from '../../src/api/index.js';
import type { MediaErrorCode, MediaSummary } from '../../src/media/index.js';
import { COMMENT_TEXT, espeakWav, jpegSegmentMarkers, jpegWithEverything, pngHeaderClaiming, photoLikeRgb, riffChunkOffset, soxWav, useScratchDir } from './fixtures.js';
import { auditRows, startMediaAppliance, useMediaAppliance, type MediaAppliance } from './media-support.js';

const scratch = useScratchDir();
const startAppliance = useMediaAppliance();

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

describe('uploading from the tablet', () => {
  it('stores a GPS-tagged photo without any of its metadata, serves it and its thumbnail, and audits each access', async () => {
    const t = await startAppliance();
    const photo = await jpegWithEverything(640, 480);

    const response = await t.upload(t.caseId, photo, 'image/jpeg', 'wound.jpg');

    expect(response.status).toBe(201);
    const stored = (await response.json()) as MediaSummary;
    expect(stored).toMatchObject({ caseId: t.caseId, kind: 'image', contentType: 'image/jpeg', width: 480, height: 640, durationSeconds: null });

    const file = await t.api('GET', `/api/v1/media/${stored.id}`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/jpeg');
    expect(file.headers.get('cache-control')).toBe('no-store');
    const jpeg = Buffer.from(await file.arrayBuffer());
    expect({ bytes: jpeg.length, sha256: sha256(jpeg) }).toEqual({ bytes: stored.bytes, sha256: stored.sha256 });
    const metadata = await sharp(jpeg).metadata();
    expect([metadata.exif, metadata.xmp, metadata.icc, metadata.orientation]).toEqual([undefined, undefined, undefined, undefined]);
    expect(jpegSegmentMarkers(jpeg).filter((m) => (m >= 0xe1 && m <= 0xef) || m === 0xfe)).toEqual([]);
    for (const needle of ['Exif\0\0', COMMENT_TEXT, 'AmbulanceCam', 'Crew Member']) expect(jpeg.includes(Buffer.from(needle, 'latin1'))).toBe(false);

    const thumbnail = await t.api('GET', `/api/v1/media/${stored.id}/thumbnail`);
    expect(thumbnail.headers.get('content-type')).toBe('image/jpeg');
    const thumbnailMetadata = await sharp(Buffer.from(await thumbnail.arrayBuffer())).metadata();
    expect(thumbnailMetadata).toMatchObject({ format: 'jpeg', width: 192, height: 256 });
    expect(thumbnailMetadata.exif).toBeUndefined();

    const listed = (await (await t.api('GET', `/api/v1/cases/${t.caseId}/media`)).json()) as MediaSummary[];
    expect(listed).toEqual([stored]);

    const actor = `crew:${t.crewId}`;
    expect(auditRows(t).filter((row) => row.action.startsWith('media.'))).toEqual([
      { actor, action: 'media.create', resource: `media/${stored.id}`, reason: `case/${t.caseId}` },
      { actor, action: 'media.read', resource: `media/${stored.id}`, reason: null },
      { actor, action: 'media.read', resource: `media/${stored.id}`, reason: 'thumbnail' },
      { actor, action: 'media.list', resource: `case/${t.caseId}/media`, reason: null },
    ]);
  });

  it('stores an espeak-ng voice note as 16 kHz mono WAV, with no thumbnail', async () => {
    const t = await startAppliance();
    const speech = espeakWav(scratch(), 'handover.wav', 'Male, about sixty, chest pain for two hours, aspirin given.');

    const response = await t.upload(t.caseId, speech, 'audio/wav', 'handover.wav');

    expect(response.status).toBe(201);
    const stored = (await response.json()) as MediaSummary;
    expect(stored).toMatchObject({ kind: 'audio', contentType: 'audio/wav', width: null, height: null });
    expect(stored.durationSeconds).toBeGreaterThan(2);
    const wav = Buffer.from(await (await t.api('GET', `/api/v1/media/${stored.id}`)).arrayBuffer());
    expect({ riff: wav.toString('latin1', 0, 4), channels: wav.readUInt16LE(22), rate: wav.readUInt32LE(24), bits: wav.readUInt16LE(34) }).toEqual({
      riff: 'RIFF',
      channels: 1,
      rate: 16000,
      bits: 16,
    });
    expect(sha256(wav)).toBe(stored.sha256);
    const thumbnail = await t.api('GET', `/api/v1/media/${stored.id}/thumbnail`);
    expect(thumbnail.status).toBe(404);
    expect(((await thumbnail.json()) as Problem).code).toBe('NOT_FOUND');
  });

  it('serves nothing and stores nothing without a crew session', async () => {
    const t = await startAppliance();
    const stored = (await (await t.upload(t.caseId, await sharp(photoLikeRgb(64, 64), { raw: { width: 64, height: 64, channels: 3 } }).png().toBuffer(), 'image/png', 'a.png')).json()) as MediaSummary;
    const anonymous = (path: string, method = 'GET'): Promise<Response> => fetch(`${t.httpUrl}${path}`, { method });
    const form = new FormData();
    form.append('file', new Blob([Buffer.from('x')], { type: 'image/png' }), 'b.png');

    const answers = await Promise.all([
      anonymous(`/api/v1/media/${stored.id}`),
      anonymous(`/api/v1/media/${stored.id}/thumbnail`),
      anonymous(`/api/v1/cases/${t.caseId}/media`),
      anonymous(`/api/v1/media/${stored.id}`, 'DELETE'),
      fetch(`${t.httpUrl}/api/v1/cases/${t.caseId}/media`, { method: 'POST', body: form }),
    ]);

    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401, 401]);
    expect(t.mediaRows()).toBe(1);
  });

  it('answers an upload for an unknown case with NOT_FOUND and a request without a file with INPUT_INVALID', async () => {
    const t = await startAppliance();
    const png = await sharp(photoLikeRgb(64, 64), { raw: { width: 64, height: 64, channels: 3 } }).png().toBuffer();
    const unknown = await t.upload('6f1d3c8e-2b7a-4c1e-9f00-0123456789ab', png, 'image/png', 'a.png');
    const form = new FormData();
    form.append('note', 'no file here');
    const noFile = await fetch(`${t.httpUrl}/api/v1/cases/${t.caseId}/media`, { method: 'POST', headers: { authorization: `Bearer ${t.token}` }, body: form });

    expect([unknown.status, ((await unknown.json()) as Problem).code]).toEqual([404, 'NOT_FOUND']);
    expect([noFile.status, ((await noFile.json()) as Problem).code]).toEqual([400, 'INPUT_INVALID']);
    expect(t.mediaRows()).toBe(0);
  });
});

describe('the bad-file corpus over HTTP', () => {
  let t: MediaAppliance;
  let stateDir: string;
  const fixtures: Record<string, Buffer> = {};
  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'hema3n-media-corpus-'));
    // Lowered limits so that "too large" and "too long" need no large fixtures.
    t = await startMediaAppliance(stateDir, { HEMA3N_MEDIA_MAX_IMAGE_BYTES: String(256 * 1024), HEMA3N_MEDIA_MAX_AUDIO_SECONDS: '3' });
    const rgb = photoLikeRgb(320, 240);
    const raw = { raw: { width: 320, height: 240, channels: 3 as const } };
    fixtures.jpeg = await sharp(rgb, raw).jpeg().toBuffer();
    fixtures.png = await sharp(rgb, raw).png().toBuffer();
    fixtures.webp = await sharp(rgb, raw).webp().toBuffer();
    fixtures.gif = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#888' } }).gif().toBuffer();
    fixtures.sliver = await sharp({ create: { width: 1, height: 100_000, channels: 3, background: '#888' } }).png().toBuffer();
    fixtures.tone = soxWav(scratch(), 'tone.wav', ['-r', '16000', '-b', '16', '-c', '1'], ['synth', '1', 'sine', '440']);
    fixtures.long = soxWav(scratch(), 'long.wav', ['-r', '8000', '-b', '16', '-c', '1'], ['synth', '4', 'sine', '440']);
    fixtures.silence = soxWav(scratch(), 'silence.wav', ['-r', '16000', '-b', '16', '-c', '1'], ['trim', '0', '1']);
    fixtures.adpcm = soxWav(scratch(), 'adpcm.wav', ['-r', '16000', '-e', 'ima-adpcm', '-c', '1'], ['synth', '1', 'sine', '440']);
  });
  afterAll(async () => {
    await t.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  const lyingWav = (): Buffer => {
    const wav = Buffer.from(fixtures.tone!);
    const at = riffChunkOffset(wav, 'data') + 4;
    wav.writeUInt32LE(wav.readUInt32LE(at) + 64_000, at);
    return wav;
  };
  const garbledHuffman = (): Buffer => {
    const jpeg = Buffer.from(fixtures.jpeg!);
    const table = jpeg.indexOf(Buffer.from([0xff, 0xc4]));
    return jpeg.fill(0xee, table + 4, table + 30);
  };

  const corpus: { name: string; code: MediaErrorCode; status: number; type: string; file: () => Buffer }[] = [
    { name: 'an empty photo', code: 'MEDIA_EMPTY', status: 400, type: 'image/jpeg', file: () => Buffer.alloc(0) },
    { name: 'a photo over media.maxImageBytes', code: 'MEDIA_TOO_LARGE', status: 413, type: 'image/jpeg', file: () => randomBytes(300 * 1024) },
    { name: 'a JPEG cut off half way', code: 'MEDIA_TRUNCATED', status: 422, type: 'image/jpeg', file: () => fixtures.jpeg!.subarray(0, fixtures.jpeg!.length >> 1) },
    { name: 'a PNG cut off half way', code: 'MEDIA_TRUNCATED', status: 422, type: 'image/png', file: () => fixtures.png!.subarray(0, fixtures.png!.length >> 1) },
    { name: 'a PNG labelled image/jpeg', code: 'MEDIA_TYPE_MISMATCH', status: 400, type: 'image/jpeg', file: () => fixtures.png! },
    { name: 'a WAV labelled image/jpeg', code: 'MEDIA_TYPE_MISMATCH', status: 400, type: 'image/jpeg', file: () => fixtures.tone! },
    { name: 'a JPEG labelled audio/wav', code: 'MEDIA_TYPE_MISMATCH', status: 400, type: 'audio/wav', file: () => fixtures.jpeg! },
    { name: 'a GIF', code: 'MEDIA_UNSUPPORTED_TYPE', status: 400, type: 'image/gif', file: () => fixtures.gif! },
    { name: 'a text file sent as application/octet-stream', code: 'MEDIA_UNSUPPORTED_TYPE', status: 400, type: 'application/octet-stream', file: () => Buffer.from('BP 120/80, GCS 15\n') },
    { name: 'an MP3 declared as audio/mpeg', code: 'MEDIA_UNSUPPORTED_TYPE', status: 400, type: 'audio/mpeg', file: () => Buffer.from('ID3\x04\x00\x00\x00\x00\x00\x00', 'latin1') },
    { name: 'a 30000 x 30000 px PNG header (decompression bomb)', code: 'MEDIA_PIXEL_LIMIT', status: 413, type: 'image/png', file: () => pngHeaderClaiming(30_000, 30_000) },
    { name: 'a 1 x 100000 px PNG', code: 'MEDIA_DIMENSIONS_INVALID', status: 422, type: 'image/png', file: () => fixtures.sliver! },
    { name: 'a JPEG with a garbage Huffman table', code: 'MEDIA_MALFORMED', status: 422, type: 'image/jpeg', file: garbledHuffman },
    { name: 'a recording over media.maxAudioSeconds', code: 'AUDIO_TOO_LONG', status: 413, type: 'audio/wav', file: () => fixtures.long! },
    { name: 'a WAV whose data chunk claims more than the file holds', code: 'AUDIO_HEADER_INVALID', status: 422, type: 'audio/wav', file: lyingWav },
    { name: 'a WAV cut off in its data', code: 'AUDIO_HEADER_INVALID', status: 422, type: 'audio/x-wav', file: () => fixtures.tone!.subarray(0, fixtures.tone!.length >> 1) },
    { name: 'an IMA ADPCM WAV', code: 'AUDIO_FORMAT_UNSUPPORTED', status: 400, type: 'audio/wav', file: () => fixtures.adpcm! },
    { name: 'a silent recording', code: 'AUDIO_SILENT', status: 422, type: 'audio/wav', file: () => fixtures.silence! },
  ];

  it.each(corpus)('refuses $name with $code as problem JSON and stores nothing', async ({ code, status, type, file }) => {
    const before = t.mediaRows();
    const response = await t.upload(t.caseId, file(), type, 'upload.bin');
    const problem = (await response.json()) as Problem;
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect({ status: response.status, code: problem.code, problemStatus: problem.status }).toEqual({ status, code, problemStatus: status });
    expect(t.mediaRows()).toBe(before);
    expect(t.appliance.store.store.db.prepare("SELECT count(*) AS n FROM outbox WHERE resource_type = 'Media'").get()).toEqual({ n: 0 });
  });
});

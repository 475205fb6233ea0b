import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/audit/index.js';
import { Hema3nError } from '../../src/errors.js';
import { AudioThread, MediaError, MediaService, mediaKindOf, processImage, type MediaErrorCode } from '../../src/media/index.js';
import { databasePath, Store } from '../../src/store/index.js';
import { randomKeyHex, useTempDirs } from '../support/temp.js';
import { espeakWav, photoJpeg, useScratchDir } from './fixtures.js';

const tempDir = useTempDirs();
const scratch = useScratchDir();
const LIMITS = { maxImageBytes: 10 * 1024 * 1024, maxAudioBytes: 20 * 1024 * 1024, maxAudioSeconds: 60, maxPixels: 40_000_000 };

const opened: Array<{ store: Store; thread: AudioThread }> = [];
afterEach(async () => {
  for (const { store, thread } of opened.splice(0)) {
    await thread.close();
    store.close();
  }
});

/** The service over a real encrypted store, with audio on its worker thread as in the daemon. */
function service(): { media: MediaService; store: Store; caseId: string } {
  const store = Store.open({ path: databasePath(tempDir()), key: Buffer.from(randomKeyHex(), 'hex'), groupCommit: { maxRows: 100, maxDelayMs: 0 } });
  const thread = new AudioThread();
  opened.push({ store, thread });
  const audit = new AuditLog(store.db, Date.now);
  const media = new MediaService({ store: () => store, audit: () => audit, limits: LIMITS, audio: thread.process, now: Date.now });
  return { media, store, caseId: store.cases.create({ actor: 'test', now: Date.now() }).id };
}

describe('telling photos from recordings', () => {
  const content = {
    JPEG: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0, 0, 0, 0, 0, 0, 0]),
    WAV: Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt ', 'latin1'),
  };
  // An image type always goes to processImage, which then names a JPEG/PNG mismatch with the real kind.
  const table: { declared: string | undefined; content: keyof typeof content; outcome: 'image' | 'audio' | MediaErrorCode }[] = [
    { declared: undefined, content: 'JPEG', outcome: 'image' },
    { declared: undefined, content: 'WAV', outcome: 'audio' },
    { declared: 'application/octet-stream', content: 'WAV', outcome: 'audio' },
    { declared: 'image/png', content: 'JPEG', outcome: 'image' },
    { declared: 'audio/x-wav; codecs=1', content: 'WAV', outcome: 'audio' },
    { declared: 'AUDIO/WAVE', content: 'WAV', outcome: 'audio' },
    { declared: 'image/jpeg', content: 'WAV', outcome: 'MEDIA_TYPE_MISMATCH' },
    { declared: 'audio/wav', content: 'JPEG', outcome: 'MEDIA_TYPE_MISMATCH' },
    { declared: 'audio/mpeg', content: 'WAV', outcome: 'MEDIA_UNSUPPORTED_TYPE' },
    { declared: 'text/plain', content: 'JPEG', outcome: 'MEDIA_UNSUPPORTED_TYPE' },
  ];

  it.each(table)('takes $content content declared as $declared to be: $outcome', ({ declared, content: kind, outcome }) => {
    let result: string;
    try {
      result = mediaKindOf(content[kind], declared);
    } catch (error) {
      result = (error as MediaError).code;
    }
    expect(result).toBe(outcome);
  });
});

describe('media service', () => {
  it('re-derives the image tensor from the stored copy, within JPEG quantisation of the tensor made at upload', async () => {
    const { media, caseId } = service();
    const photo = await photoJpeg(800, 600);
    const stored = await media.add({ caseId, data: photo, declaredContentType: 'image/jpeg', actor: 'crew:test' });

    const features = await media.features(stored.id, { actor: 'system:inference' });

    const atUpload = (await processImage(photo, { maxBytes: LIMITS.maxImageBytes, maxPixels: LIMITS.maxPixels })).tensor;
    expect(features.kind).toBe('image');
    if (features.kind !== 'image') return;
    expect(features.tensor.shape).toEqual([1, 3, 224, 224]);
    let sum = 0;
    for (let i = 0; i < atUpload.data.length; i++) sum += Math.abs(features.tensor.data[i]! - atUpload.data[i]!);
    expect(sum / atUpload.data.length).toBeLessThan(0.05);
  });

  it('re-derives the log-mel of a stored recording on the audio thread, with the model mel spec', async () => {
    const { media, caseId } = service();
    const speech = espeakWav(scratch(), 'features.wav', 'Blood glucose two point eight, dextrose given.');
    const stored = await media.add({ caseId, data: speech, declaredContentType: 'audio/wav', actor: 'crew:test' });

    const features = await media.features(stored.id, {
      actor: 'system:inference',
      melSpec: { sampleRate: 16000, nFft: 400, hopLength: 160, nMels: 40, fMin: 0, fMax: 8000, melScale: 'htk', filterNorm: 'none' },
    });

    expect(features.kind).toBe('audio');
    if (features.kind !== 'audio') return;
    expect(features.logMel.nMels).toBe(40);
    expect(features.logMel.frames).toBe(1 + Math.floor(features.samples.length / 160));
    expect(features.durationSeconds).toBeCloseTo(stored.durationSeconds!, 2);
  });

  it('brings refusals back from the audio thread with their code, and configuration faults as CONFIG_INVALID', async () => {
    const { media, caseId } = service();
    const silence = Buffer.alloc(44 + 32000);
    Buffer.from('RIFF', 'latin1').copy(silence, 0);
    silence.writeUInt32LE(silence.length - 8, 4);
    Buffer.from('WAVEfmt ', 'latin1').copy(silence, 8);
    silence.writeUInt32LE(16, 16);
    silence.writeUInt16LE(1, 20);
    silence.writeUInt16LE(1, 22);
    silence.writeUInt32LE(16000, 24);
    silence.writeUInt32LE(32000, 28);
    silence.writeUInt16LE(2, 32);
    silence.writeUInt16LE(16, 34);
    Buffer.from('data', 'latin1').copy(silence, 36);
    silence.writeUInt32LE(32000, 40);

    const refused = await media.add({ caseId, data: silence, declaredContentType: 'audio/wav', actor: 'crew:test' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(MediaError);
    expect((refused as MediaError).code).toBe('AUDIO_SILENT');

    const speech = espeakWav(scratch(), 'spec.wav', 'Airway clear.');
    const stored = await media.add({ caseId, data: speech, actor: 'crew:test' });
    const misconfigured = await media.features(stored.id, { actor: 'system:inference', melSpec: { sampleRate: 16000, nFft: 400, hopLength: 800, nMels: 64, fMin: 0, fMax: 8000, melScale: 'slaney', filterNorm: 'slaney' } }).catch((e: unknown) => e);
    expect(misconfigured).toBeInstanceOf(Hema3nError);
    expect((misconfigured as Hema3nError).code).toBe('CONFIG_INVALID');
  });

  it('queues the case for sync when a file is added and when it is deleted, and answers NOT_FOUND for an unknown id', async () => {
    const { media, store, caseId } = service();
    const stored = await media.add({ caseId, data: await sharp({ create: { width: 64, height: 48, channels: 3, background: '#a33' } }).webp().toBuffer(), actor: 'crew:test' });
    media.delete(stored.id, 'crew:test');

    const queued = store.db.prepare(`SELECT case_id AS caseId, resource_type AS type, resource_id AS id FROM outbox WHERE resource_type = 'Media'`).all();
    expect(queued).toEqual([
      { caseId, type: 'Media', id: stored.id },
      { caseId, type: 'Media', id: stored.id },
    ]);
    for (const action of [() => media.read(stored.id, 'crew:test'), () => media.thumbnail(stored.id, 'crew:test'), () => media.delete(stored.id, 'crew:test')]) {
      expect(() => action()).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    }
    await expect(media.add({ caseId: '00000000-0000-4000-8000-000000000000', data: Buffer.alloc(10), actor: 'crew:test' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { AuditLog } from '../../edge/src/audit/index.js';
import { MediaService, processAudio, processAudioHere, resample, type MediaLimits } from '../../edge/src/media/index.js';
import { databasePath, Store } from '../../edge/src/store/index.js';
import type { BenchResult } from '../run.js';

const PHOTO = { width: 4000, height: 3000 };
const IMAGES_SEQUENTIAL = 6;
const IMAGES_CONCURRENT = 8;
const IN_FLIGHT = 4;
const AUDIO_SECONDS = 60;
const AUDIO_RATE = 48_000;
const AUDIO_REPEATS = 3;
const LIMITS: MediaLimits = { maxImageBytes: 64 * 1024 * 1024, maxAudioBytes: 64 * 1024 * 1024, maxAudioSeconds: 300, maxPixels: 50_000_000 };

/** A 12 MP phone photo: gradients, texture and sensor-like noise, JPEG quality 90. */
async function twelveMegapixelJpeg(): Promise<Buffer> {
  const { width, height } = PHOTO;
  const rgb = Buffer.alloc(width * height * 3);
  let seed = 7;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const noise = ((seed >>> 16) % 25) - 12;
      const i = (y * width + x) * 3;
      rgb[i] = clamp((255 * x) / width + noise);
      rgb[i + 1] = clamp((255 * y) / height + noise);
      rgb[i + 2] = clamp(128 + 60 * Math.sin(x / 37) * Math.cos(y / 23) + noise);
    }
  }
  return sharp(rgb, { raw: { width, height, channels: 3 } }).jpeg({ quality: 90 }).toBuffer();
}

/** 60 s of 48 kHz stereo 24-bit WAV: a voiced, vowel-like signal with noise, and a 12 kHz whistle that must not fold into the speech band. */
function minuteOfStereo(): Buffer {
  const frames = AUDIO_SECONDS * AUDIO_RATE;
  const wav = Buffer.alloc(44 + frames * 6);
  wav.write('RIFF', 0, 'latin1');
  wav.writeUInt32LE(wav.length - 8, 4);
  wav.write('WAVEfmt ', 8, 'latin1');
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20);
  wav.writeUInt16LE(2, 22);
  wav.writeUInt32LE(AUDIO_RATE, 24);
  wav.writeUInt32LE(AUDIO_RATE * 6, 28);
  wav.writeUInt16LE(6, 32);
  wav.writeUInt16LE(24, 34);
  wav.write('data', 36, 'latin1');
  wav.writeUInt32LE(frames * 6, 40);
  let seed = 11;
  for (let n = 0; n < frames; n++) {
    const t = n / AUDIO_RATE;
    seed = (seed * 1103515245 + 12345) >>> 0;
    const voiced = 0.3 * Math.sin(2 * Math.PI * 140 * t) * (0.6 + 0.4 * Math.sin(2 * Math.PI * 3 * t)) + 0.1 * Math.sin(2 * Math.PI * 700 * t);
    const sample = voiced + 0.05 * ((seed >>> 8) / 2 ** 24 - 0.5) + 0.1 * Math.sin(2 * Math.PI * 12_000 * t);
    const code = Math.round(sample * 8_388_607);
    wav.writeIntLE(code, 44 + n * 6, 3);
    wav.writeIntLE(code, 44 + n * 6 + 3, 3);
  }
  return wav;
}

function clamp(value: number): number {
  return Math.max(0, Math.min(255, Math.round(value)));
}

/** The textbook shortcut: linear interpolation between neighbouring samples, no low-pass. */
function linearResample(input: Float32Array, fromRate: number, toRate: number): Float32Array {
  const output = new Float32Array(Math.floor((input.length * toRate) / fromRate));
  const step = fromRate / toRate;
  for (let n = 0; n < output.length; n++) {
    const position = n * step;
    const i = Math.floor(position);
    const fraction = position - i;
    output[n] = input[i]! * (1 - fraction) + (input[Math.min(i + 1, input.length - 1)] ?? 0) * fraction;
  }
  return output;
}

/** Level of a tone in dB relative to full scale (single-bin DFT over whole periods). */
function toneDb(samples: Float32Array, rate: number, hz: number): number {
  const length = Math.floor((Math.floor((samples.length * hz) / rate) * rate) / hz);
  let re = 0;
  let im = 0;
  for (let n = 0; n < length; n++) {
    re += samples[n]! * Math.cos((2 * Math.PI * hz * n) / rate);
    im -= samples[n]! * Math.sin((2 * Math.PI * hz * n) / rate);
  }
  return 20 * Math.log10(Math.max((2 * Math.hypot(re, im)) / length, 1e-12));
}

interface Bench {
  readonly store: Store;
  readonly media: MediaService;
  readonly caseId: string;
  close(): void;
}

function openBench(): Bench {
  const dir = mkdtempSync(join(tmpdir(), 'hema3n-bench-media-'));
  const store = Store.open({ path: databasePath(dir), key: randomBytes(32), groupCommit: { maxRows: 100, maxDelayMs: 0 } });
  const audit = new AuditLog(store.db, Date.now);
  const media = new MediaService({ store: () => store, audit: () => audit, limits: LIMITS, audio: processAudioHere, now: Date.now });
  const caseId = store.cases.create({ actor: 'bench', now: Date.now() }).id;
  return {
    store,
    media,
    caseId,
    close() {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs `count` jobs with at most `inFlight` at once; returns jobs per second. */
async function throughput(count: number, inFlight: number, job: () => Promise<unknown>): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < count) {
        next += 1;
        await job();
      }
    }),
  );
  return count / ((performance.now() - t0) / 1000);
}

/**
 * The naive way: one sharp pipeline per output straight from the upload (three decodes of the
 * 12 MP file), libjpeg-turbo's default encoder, then the same insert. No checks at all.
 */
async function naiveImage(bench: Bench, photo: Buffer): Promise<number> {
  const fromUpload = () => sharp(photo).rotate();
  const [stored, thumbnail] = await Promise.all([
    fromUpload().resize({ width: 2048, height: 2048, fit: 'inside' }).jpeg({ quality: 85 }).toBuffer({ resolveWithObject: true }),
    fromUpload().resize({ width: 256, height: 256, fit: 'inside' }).jpeg({ quality: 80 }).toBuffer(),
    fromUpload().resize({ width: 224, height: 224, fit: 'cover' }).removeAlpha().raw().toBuffer(),
  ]);
  const id = randomBytes(16).toString('hex');
  bench.store.transaction(() =>
    bench.store.media.insert({
      id, caseId: bench.caseId, kind: 'image', contentType: 'image/jpeg', bytes: stored.data.length, sha256: '-', data: stored.data, thumbnail,
      width: stored.info.width, height: stored.info.height, durationMs: null, origin: 'bench', receivedSha256: '-', deviceMediaId: null, createdAt: Date.now(),
    }),
  );
  return stored.data.length;
}

async function imageFigures(photo: Buffer): Promise<Record<string, number>> {
  const bench = openBench();
  try {
    const ours: number[] = [];
    const add = async () => ours.push((await bench.media.add({ caseId: bench.caseId, data: photo, declaredContentType: 'image/jpeg', actor: 'bench' })).bytes);
    await add(); // warm-up: libvips and mozjpeg initialise on first use
    const sequential = await throughput(IMAGES_SEQUENTIAL, 1, add);
    const concurrent = await throughput(IMAGES_CONCURRENT, IN_FLIGHT, add);
    const naive: number[] = [];
    await naiveImage(bench, photo);
    const naiveSequential = await throughput(IMAGES_SEQUENTIAL, 1, async () => naive.push(await naiveImage(bench, photo)));
    const naiveConcurrent = await throughput(IMAGES_CONCURRENT, IN_FLIGHT, async () => naive.push(await naiveImage(bench, photo)));
    return {
      oursImagesPerSecSequential: round(sequential, 2),
      oursImagesPerSecConcurrent: round(concurrent, 2),
      naiveImagesPerSecSequential: round(naiveSequential, 2),
      naiveImagesPerSecConcurrent: round(naiveConcurrent, 2),
      oursStoredKiB: Math.round(mean(ours) / 1024),
      naiveStoredKiB: Math.round(mean(naive) / 1024),
    };
  } finally {
    bench.close();
  }
}

async function audioFigures(wav: Buffer): Promise<Record<string, number>> {
  const bench = openBench();
  try {
    const add = () => bench.media.add({ caseId: bench.caseId, data: wav, declaredContentType: 'audio/wav', actor: 'bench' });
    await add();
    const pipeline = await throughput(AUDIO_REPEATS, 1, add);
    // The resampling stage alone, both ways, on the decoded mono signal.
    const mono = decodedMono(wav);
    const sinc = await throughput(AUDIO_REPEATS, 1, async () => resample(mono, AUDIO_RATE, 16_000));
    const linear = await throughput(AUDIO_REPEATS, 1, async () => linearResample(mono, AUDIO_RATE, 16_000));
    return {
      oursPipelineAudioSecondsPerSec: round(pipeline * AUDIO_SECONDS, 1),
      oursResamplerAudioSecondsPerSec: round(sinc * AUDIO_SECONDS, 0),
      naiveLinearResamplerAudioSecondsPerSec: round(linear * AUDIO_SECONDS, 0),
      // A 12 kHz whistle at 48 kHz folds to 4 kHz, inside the speech band, unless it is filtered out.
      oursAliasAt4kHzDb: round(toneDb(resample(mono, AUDIO_RATE, 16_000), 16_000, 4000), 1),
      naiveAliasAt4kHzDb: round(toneDb(linearResample(mono, AUDIO_RATE, 16_000), 16_000, 4000), 1),
    };
  } finally {
    bench.close();
  }
}

/** The left channel as floats (both channels carry the same signal). */
function decodedMono(wav: Buffer): Float32Array {
  const frames = (wav.length - 44) / 6;
  const mono = new Float32Array(frames);
  for (let n = 0; n < frames; n++) mono[n] = wav.readIntLE(44 + n * 6, 3) / 8_388_608;
  return mono;
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

export async function runMediaBench(): Promise<BenchResult> {
  const photo = await twelveMegapixelJpeg();
  const wav = minuteOfStereo();
  processAudio(wav, { maxBytes: wav.length, maxSeconds: 300 }); // warm-up (filter tables, JIT)
  const images = await imageFigures(photo);
  const audio = await audioFigures(wav);
  return {
    name: 'media',
    figures: {
      imageWorkload: `12 MP JPEG (${PHOTO.width} x ${PHOTO.height}, ${Math.round(photo.length / 1024)} KiB) in; normalised 2048 px mozjpeg + 256 px thumbnail + 224 px tensor out, inserted with its audit row into the encrypted store; ${IN_FLIGHT} in flight for "concurrent"`,
      naiveImageWorkload: 'one sharp pipeline per output from the upload (three decodes), default libjpeg-turbo encoder, same insert, no checks',
      ...images,
      audioWorkload: `${AUDIO_SECONDS} s of ${AUDIO_RATE / 1000} kHz stereo 24-bit WAV in; 16 kHz WAV stored + log-mel; resampler figures are that stage alone on the mono signal`,
      ...audio,
    },
    targets: {
      photoStoredWithinASecond: { target: '>= 1 image/s one at a time', met: images.oursImagesPerSecSequential! >= 1 },
      audioFasterThanRealTime: { target: '>= 20 s of audio per second', met: audio.oursPipelineAudioSecondsPerSec! >= 20 },
    },
  };
}

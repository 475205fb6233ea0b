import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { afterAll } from 'vitest';

/** A scratch directory for the whole test file, removed when it ends. */
export function useScratchDir(): () => string {
  let dir: string | undefined;
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return () => (dir ??= mkdtempSync(join(tmpdir(), 'hema3n-media-')));
}

/**
 * Runs `sox -D -n <format> out.wav <effects>` in dir (synthesised input) and returns the file's bytes.
 * -D turns dither off: fixtures stay deterministic and silence stays digital zero at 8 bits.
 */
export function soxWav(dir: string, name: string, format: readonly string[], effects: readonly string[]): Buffer {
  const path = join(dir, name);
  execFileSync('sox', ['-D', '-n', ...format, path, ...effects], { stdio: 'pipe' });
  return readFileSync(path);
}

/** Real synthetic speech: espeak-ng writes 22.05 kHz 16-bit mono. */
export function espeakWav(dir: string, name: string, text: string): Buffer {
  const path = join(dir, name);
  execFileSync('espeak-ng', ['-w', path, text], { stdio: 'pipe' });
  return readFileSync(path);
}

/** Smooth gradients plus mild deterministic noise: compresses like a photo, not like flat colour or pure noise. */
export function photoLikeRgb(width: number, height: number): Buffer {
  const rgb = Buffer.alloc(width * height * 3);
  let seed = 12345;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const noise = ((seed >>> 16) % 33) - 16;
      const i = (y * width + x) * 3;
      rgb[i] = clampByte((255 * x) / width + noise);
      rgb[i + 1] = clampByte((255 * y) / height + noise);
      rgb[i + 2] = clampByte(128 + 60 * Math.sin(x / 37) * Math.cos(y / 23) + noise);
    }
  }
  return rgb;
}

function clampByte(value: number): number {
  return Math.max(0, Math.min(255, Math.round(value)));
}

export async function photoJpeg(width: number, height: number): Promise<Buffer> {
  return sharp(photoLikeRgb(width, height), { raw: { width, height, channels: 3 } }).jpeg({ quality: 90 }).toBuffer();
}

const GPS_EXIF = {
  IFD0: { Make: 'AmbulanceCam', Model: 'Unit 7' },
  IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 1234/100', GPSLongitudeRef: 'W', GPSLongitude: '0/1 7/1 3960/100' },
};

const XMP_PACKET =
  '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
  '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Crew Member Smith</dc:creator>' +
  '</rdf:Description></rdf:RDF></x:xmpmeta>';

export const COMMENT_TEXT = 'patient at 12 Example Road';

/**
 * A JPEG carrying every kind of metadata a phone may add: EXIF with GPS and orientation 6, XMP, a
 * Display P3 ICC profile, and a COM comment segment (sharp cannot write one, so it is spliced in).
 */
export async function jpegWithEverything(width: number, height: number): Promise<Buffer> {
  const jpeg = await sharp(photoLikeRgb(width, height), { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 90 })
    .withMetadata({ orientation: 6 })
    .withExifMerge(GPS_EXIF)
    .withIccProfile('p3')
    .withXmp(XMP_PACKET)
    .toBuffer();
  return insertJpegComment(jpeg, COMMENT_TEXT);
}

function insertJpegComment(jpeg: Buffer, text: string): Buffer {
  const body = Buffer.from(text, 'latin1');
  const segment = Buffer.alloc(4 + body.length);
  segment.writeUInt16BE(0xfffe, 0);
  segment.writeUInt16BE(body.length + 2, 2);
  body.copy(segment, 4);
  return Buffer.concat([jpeg.subarray(0, 2), segment, jpeg.subarray(2)]);
}

/** Markers of the segments before the scan data (entropy-coded data cannot contain 0xFF 0xE1 etc.). */
export function jpegSegmentMarkers(jpeg: Buffer): number[] {
  const markers: number[] = [];
  let at = 2;
  while (at + 4 <= jpeg.length && jpeg[at] === 0xff) {
    const marker = jpeg[at + 1]!;
    markers.push(marker);
    if (marker === 0xda) break;
    at += 2 + jpeg.readUInt16BE(at + 2);
  }
  return markers;
}

/** A PNG that claims width x height in a valid IHDR (correct CRC) but carries almost no pixel data. */
export function pngHeaderClaiming(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/** A minimal canonical 24-bit mono PCM WAV holding exactly the given sample codes. */
export function pcm24MonoWav(codes: readonly number[], sampleRate: number): Buffer {
  const wav = Buffer.alloc(44 + codes.length * 3);
  wav.write('RIFF', 0, 'latin1');
  wav.writeUInt32LE(wav.length - 8, 4);
  wav.write('WAVEfmt ', 8, 'latin1');
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20);
  wav.writeUInt16LE(1, 22);
  wav.writeUInt32LE(sampleRate, 24);
  wav.writeUInt32LE(sampleRate * 3, 28);
  wav.writeUInt16LE(3, 32);
  wav.writeUInt16LE(24, 34);
  wav.write('data', 36, 'latin1');
  wav.writeUInt32LE(codes.length * 3, 40);
  codes.forEach((code, i) => wav.writeIntLE(code, 44 + i * 3, 3));
  return wav;
}

/** Byte offset of the first occurrence of an ASCII chunk id in a RIFF file. */
export function riffChunkOffset(wav: Buffer, id: string): number {
  let at = 12;
  while (at + 8 <= wav.length) {
    if (wav.toString('latin1', at, at + 4) === id) return at;
    const size = wav.readUInt32LE(at + 4);
    at += 8 + size + (size & 1);
  }
  throw new Error(`no ${id} chunk`);
}

/** Amplitude of the `hz` component of a signal (single-bin DFT over a whole number of periods). */
export function toneAmplitude(samples: Float32Array, sampleRate: number, hz: number): number {
  const periods = Math.floor((samples.length * hz) / sampleRate);
  const length = Math.round((periods * sampleRate) / hz);
  let re = 0;
  let im = 0;
  for (let n = 0; n < length; n++) {
    const angle = (2 * Math.PI * hz * n) / sampleRate;
    re += samples[n]! * Math.cos(angle);
    im -= samples[n]! * Math.sin(angle);
  }
  return (2 * Math.hypot(re, im)) / length;
}

export function sineWave(hz: number, sampleRate: number, seconds: number, amplitude = 0.5): Float32Array {
  const samples = new Float32Array(Math.round(sampleRate * seconds));
  for (let n = 0; n < samples.length; n++) samples[n] = amplitude * Math.sin((2 * Math.PI * hz * n) / sampleRate);
  return samples;
}

export function rms(samples: Float32Array): number {
  let sum = 0;
  for (const sample of samples) sum += sample * sample;
  return Math.sqrt(sum / samples.length);
}

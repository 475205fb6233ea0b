import { createHash } from 'node:crypto';
import wav from 'node-wav';
import { beforeAll, describe, expect, it } from 'vitest';
import { Hema3nError } from '../../src/errors.js';
import { DEFAULT_MEL_SPEC, MediaError, processAudio, type MediaErrorCode, type ProcessAudioOptions } from '../../src/media/index.js';
import { espeakWav, pcm24MonoWav, riffChunkOffset, rms, soxWav, toneAmplitude, useScratchDir } from './fixtures.js';

const LIMITS: ProcessAudioOptions = { maxBytes: 20 * 1024 * 1024, maxSeconds: 120 };
const scratch = useScratchDir();

function refusal(input: Buffer, options: ProcessAudioOptions = LIMITS): MediaError {
  try {
    processAudio(input, options);
  } catch (error) {
    expect(error).toBeInstanceOf(MediaError);
    return error as MediaError;
  }
  throw new Error('expected the recording to be refused');
}

/** A 440 Hz tone at half scale, 0.5 s of silence before and after: 2 s in all. */
function paddedTone(name: string, format: readonly string[]): Buffer {
  return soxWav(scratch(), name, format, ['synth', '1', 'sine', '440', 'vol', '0.5', 'pad', '0.5', '0.5']);
}

describe('accepted WAV formats', () => {
  const formats: { name: string; rate: number; bits: number; channels: number; float?: boolean }[] = [
    { name: '8 kHz 8-bit mono', rate: 8000, bits: 8, channels: 1 },
    { name: '11.025 kHz 16-bit stereo', rate: 11025, bits: 16, channels: 2 },
    { name: '16 kHz 16-bit mono', rate: 16000, bits: 16, channels: 1 },
    { name: '22.05 kHz 24-bit mono', rate: 22050, bits: 24, channels: 1 },
    { name: '32 kHz 32-bit stereo', rate: 32000, bits: 32, channels: 2 },
    { name: '44.1 kHz 24-bit stereo', rate: 44100, bits: 24, channels: 2 },
    { name: '48 kHz 32-bit float mono', rate: 48000, bits: 32, channels: 1, float: true },
    { name: '48 kHz 32-bit float stereo', rate: 48000, bits: 32, channels: 2, float: true },
  ];

  it.each(formats)('turns $name into a 16 kHz mono tone of the same pitch and level, trimmed of silence', ({ name, rate, bits, channels, float }) => {
    const format = ['-r', String(rate), '-b', String(bits), '-c', String(channels), ...(float ? ['-e', 'floating-point'] : ['-e', 'signed-integer'])];
    if (bits === 8) format.splice(format.length - 1, 1, 'unsigned-integer');
    const result = processAudio(paddedTone(`${name}.wav`, format), LIMITS);

    expect(result.source).toEqual({ encoding: float ? 'float' : 'pcm', bitsPerSample: bits, channels, sampleRate: rate });
    expect(result.durationSeconds).toBeCloseTo(2, 3);
    // 1 s of tone plus the 0.1 s margin kept on each side, to the 10 ms frame.
    expect(result.trimmedDurationSeconds).toBeGreaterThan(1.18);
    expect(result.trimmedDurationSeconds).toBeLessThan(1.23);
    expect(result.trim.startSeconds).toBeCloseTo(0.4, 1);
    const toneOnly = result.samples.subarray(0.2 * 16000, 0.9 * 16000);
    expect(toneAmplitude(toneOnly, 16000, 440)).toBeCloseTo(0.5, 1);
    expect(rms(toneOnly)).toBeCloseTo(0.5 / Math.SQRT2, 1);
  });

  it('stores the whole recording as 16 kHz 16-bit mono PCM, with the sha256 of those bytes', () => {
    const result = processAudio(paddedTone('stored.wav', ['-r', '44100', '-b', '24', '-c', '2']), LIMITS);
    const header = result.wav16k;
    expect(header.toString('latin1', 0, 4)).toBe('RIFF');
    expect(header.readUInt32LE(4) + 8).toBe(header.length);
    expect({ tag: header.readUInt16LE(20), channels: header.readUInt16LE(22), rate: header.readUInt32LE(24), bits: header.readUInt16LE(34) }).toEqual({ tag: 1, channels: 1, rate: 16000, bits: 16 });
    const decoded = wav.decode(header);
    expect(decoded.channelData[0]!.length).toBe(32000);
    expect(toneAmplitude(decoded.channelData[0]!.subarray(8000, 24000), 16000, 440)).toBeCloseTo(0.5, 2);
    expect(result.sha256).toBe(createHash('sha256').update(header).digest('hex'));
  });

  it('decodes the most negative 24-bit code as exactly -1 (no sign error at -2^23)', () => {
    const square = Array.from({ length: 8000 }, (_, n) => (Math.floor(n / 80) % 2 === 0 ? -8388608 : 8388607));
    const result = processAudio(pcm24MonoWav(square, 16000), LIMITS);
    expect(result.samples[0]).toBe(-1);
    expect(result.samples[100]).toBeCloseTo(1, 6);
  });

  it('processes real synthetic speech from espeak-ng and gives log-mel frames every 10 ms', () => {
    const speech = espeakWav(scratch(), 'speech.wav', 'Patient is breathing, pulse one hundred and ten, blood pressure ninety over sixty.');
    const result = processAudio(speech, LIMITS);
    expect(result.source).toEqual({ encoding: 'pcm', bitsPerSample: 16, channels: 1, sampleRate: 22050 });
    expect(result.durationSeconds).toBeGreaterThan(3);
    expect(result.trimmedDurationSeconds).toBeLessThanOrEqual(result.durationSeconds);
    expect(result.logMel.nMels).toBe(64);
    expect(result.logMel.frames).toBe(1 + Math.floor(result.samples.length / 160));
    expect(result.logMel.data).toHaveLength(result.logMel.frames * 64);
    expect(result.logMel.data.every(Number.isFinite)).toBe(true);
    // Voiced speech puts energy in the low and middle bands, far above the log(1e-6) floor of silence.
    const loudest = (band: number): number => {
      let max = -Infinity;
      for (let t = 0; t < result.logMel.frames; t++) max = Math.max(max, result.logMel.data[t * 64 + band]!);
      return max;
    };
    for (const band of [8, 16, 32]) expect(loudest(band)).toBeGreaterThan(Math.log(1e-6) + 10);
  });

  it('trims long leading and trailing silence but keeps what lies between', () => {
    const tone = soxWav(scratch(), 'long-pads.wav', ['-r', '48000', '-b', '16', '-c', '1'], ['synth', '1', 'sine', '1000', 'vol', '0.3', 'pad', '1', '1.5']);
    const result = processAudio(tone, LIMITS);
    expect(result.durationSeconds).toBeCloseTo(3.5, 3);
    expect(result.trim.startSeconds).toBeCloseTo(0.9, 1);
    expect(result.trim.endSeconds).toBeCloseTo(2.1, 1);
    expect(result.wav16k.length).toBe(44 + 3.5 * 16000 * 2);
  });

  it('computes features with a manifest mel spec and refuses an impossible one as configuration', () => {
    const tone = paddedTone('spec.wav', ['-r', '16000', '-b', '16', '-c', '1']);
    const result = processAudio(tone, { ...LIMITS, melSpec: { ...DEFAULT_MEL_SPEC, nFft: 512, hopLength: 320, nMels: 80, melScale: 'htk', filterNorm: 'none' } });
    expect(result.logMel.nMels).toBe(80);
    expect(result.logMel.frames).toBe(1 + Math.floor(result.samples.length / 320));

    let error: unknown;
    try {
      processAudio(tone, { ...LIMITS, melSpec: { ...DEFAULT_MEL_SPEC, hopLength: 800, fMax: 9000 } });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(Hema3nError);
    expect((error as Hema3nError).code).toBe('CONFIG_INVALID');
    expect((error as Hema3nError).issues.map((issue) => issue.field)).toContain('melSpec.hopLength');
  });
});

describe('refused recordings', () => {
  let tone16: Buffer;
  let floatTone: Buffer;
  beforeAll(() => {
    tone16 = soxWav(scratch(), 'base16.wav', ['-r', '16000', '-b', '16', '-c', '1'], ['synth', '1', 'sine', '440']);
    floatTone = soxWav(scratch(), 'basefloat.wav', ['-r', '16000', '-b', '32', '-c', '1', '-e', 'floating-point'], ['synth', '1', 'sine', '440']);
  });

  function patched(source: () => Buffer, patch: (copy: Buffer) => Buffer | void): () => Buffer {
    return () => {
      const copy = Buffer.from(source());
      return patch(copy) ?? copy;
    };
  }
  const dataSizeAt = (wavBytes: Buffer): number => riffChunkOffset(wavBytes, 'data') + 4;
  const fmtAt = (wavBytes: Buffer): number => riffChunkOffset(wavBytes, 'fmt ') + 8;

  const corpus: { name: string; code: MediaErrorCode; status: number; input: () => Buffer; options?: Partial<ProcessAudioOptions> }[] = [
    { name: 'a zero-length file', code: 'MEDIA_EMPTY', status: 400, input: () => Buffer.alloc(0) },
    { name: 'a file over the byte limit', code: 'MEDIA_TOO_LARGE', status: 413, input: () => tone16, options: { maxBytes: 1000 } },
    { name: 'a recording over the length limit', code: 'AUDIO_TOO_LONG', status: 413, input: () => tone16, options: { maxSeconds: 0.5 } },
    { name: 'a header whose data chunk claims more bytes than the file has', code: 'AUDIO_HEADER_INVALID', status: 422, input: patched(() => tone16, (w) => void w.writeUInt32LE(w.readUInt32LE(dataSizeAt(w)) + 64000, dataSizeAt(w))) },
    { name: 'a header lying consistently: RIFF and data sizes both larger than the file', code: 'AUDIO_HEADER_INVALID', status: 422, input: patched(() => tone16, (w) => { w.writeUInt32LE(w.readUInt32LE(4) + 64000, 4); w.writeUInt32LE(w.readUInt32LE(dataSizeAt(w)) + 64000, dataSizeAt(w)); }) },
    { name: 'a RIFF size that disagrees with the file length', code: 'AUDIO_HEADER_INVALID', status: 422, input: patched(() => tone16, (w) => void w.writeUInt32LE(w.readUInt32LE(4) - 100, 4)) },
    { name: 'a WAV cut off in the middle of its data', code: 'AUDIO_HEADER_INVALID', status: 422, input: () => tone16.subarray(0, tone16.length >> 1) },
    { name: 'a block size that contradicts channels and bits', code: 'AUDIO_HEADER_INVALID', status: 422, input: patched(() => tone16, (w) => void w.writeUInt16LE(4, fmtAt(w) + 12)) },
    { name: 'a data chunk before its fmt chunk', code: 'AUDIO_HEADER_INVALID', status: 422, input: patched(() => tone16, (w) => void w.write('junk', 12, 'latin1')) },
    { name: 'a text file', code: 'MEDIA_UNSUPPORTED_TYPE', status: 400, input: () => Buffer.from('Handover notes: GCS 15\n') },
    { name: 'a RIFF file that is not WAVE (a WebP)', code: 'MEDIA_UNSUPPORTED_TYPE', status: 400, input: () => Buffer.from('RIFF\x04\x00\x00\x00WEBP', 'latin1') },
    { name: 'IMA ADPCM coding', code: 'AUDIO_FORMAT_UNSUPPORTED', status: 400, input: () => soxWav(scratch(), 'adpcm.wav', ['-r', '16000', '-e', 'ima-adpcm', '-c', '1'], ['synth', '1', 'sine', '440']) },
    { name: 'four channels', code: 'AUDIO_FORMAT_UNSUPPORTED', status: 400, input: () => soxWav(scratch(), 'quad.wav', ['-r', '16000', '-b', '16', '-c', '4'], ['synth', '0.2', 'sine', '440']) },
    { name: 'a 96 kHz sample rate', code: 'AUDIO_FORMAT_UNSUPPORTED', status: 400, input: () => soxWav(scratch(), 'hires.wav', ['-r', '96000', '-b', '16', '-c', '1'], ['synth', '0.2', 'sine', '440']) },
    { name: '64-bit float samples', code: 'AUDIO_FORMAT_UNSUPPORTED', status: 400, input: () => soxWav(scratch(), 'double.wav', ['-r', '16000', '-b', '64', '-e', 'floating-point', '-c', '1'], ['synth', '0.2', 'sine', '440']) },
    { name: 'a header with no samples', code: 'MEDIA_EMPTY', status: 400, input: () => soxWav(scratch(), 'nothing.wav', ['-r', '16000', '-b', '16', '-c', '1'], ['trim', '0', '0']) },
    { name: 'a recording of pure silence', code: 'AUDIO_SILENT', status: 422, input: () => soxWav(scratch(), 'silence.wav', ['-r', '16000', '-b', '16', '-c', '1'], ['trim', '0', '2']) },
    { name: 'float samples that are NaN', code: 'MEDIA_MALFORMED', status: 422, input: patched(() => floatTone, (w) => void w.writeFloatLE(Number.NaN, riffChunkOffset(w, 'data') + 8 + 400)) },
  ];

  it.each(corpus)('refuses $name with $code', ({ input, options, code, status }) => {
    const error = refusal(input(), { ...LIMITS, ...options });
    expect({ code: error.code, status: error.status }).toEqual({ code, status });
  });

  it('says which length fields disagree, in numbers only', () => {
    const lying = Buffer.from(tone16);
    lying.writeUInt32LE(lying.readUInt32LE(4) - 100, 4);
    expect(refusal(lying).message).toBe(`The RIFF header claims ${tone16.length - 100} bytes but the file has ${tone16.length}`);
  });
});

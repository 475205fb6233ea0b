import { sha256Hex } from './digest.js';
import { MediaError } from './errors.js';
import { checkMelSpec, DEFAULT_MEL_SPEC, logMelSpectrogram, type LogMel, type MelSpec } from './mel.js';
import { resample } from './resample.js';
import { findSoundRange } from './silence.js';
import { decodeMono } from './wav-decode.js';
import { encodePcm16Wav } from './wav-encode.js';
import { parseWav, type SampleEncoding } from './wav-parse.js';

export const MODEL_SAMPLE_RATE = 16000;

export interface AudioLimits {
  maxBytes: number;
  /** Checked against the validated header, before any sample is decoded. */
  maxSeconds: number;
}

export interface ProcessAudioOptions extends AudioLimits {
  melSpec?: MelSpec;
}

export interface ProcessedAudio {
  /** The whole recording (untrimmed) as 16 kHz mono PCM16 WAV: what is stored. */
  wav16k: Buffer;
  /** sha256 (hex) of `wav16k`. */
  sha256: string;
  sampleRate: typeof MODEL_SAMPLE_RATE;
  /** 16 kHz mono after the silence trim: what the features are computed from. */
  samples: Float32Array;
  durationSeconds: number;
  trimmedDurationSeconds: number;
  /** Where the kept part lies inside `wav16k`. */
  trim: { startSeconds: number; endSeconds: number };
  logMel: LogMel;
  source: { encoding: SampleEncoding; bitsPerSample: number; channels: number; sampleRate: number };
}

/** Five minutes covers a handover report; 64 MiB holds it even as 48 kHz stereo 16-bit. */
export const DEFAULT_AUDIO_LIMITS: AudioLimits = Object.freeze({ maxBytes: 64 * 1024 * 1024, maxSeconds: 300 });

/**
 * Validates a WAV recording and derives the stored 16 kHz file and the model features. Synchronous
 * and CPU-bound (about 0.5 s per minute of 48 kHz audio on the appliance CPU): callers that must
 * stay responsive run it off the main thread.
 */
export function processAudio(input: Buffer, options: ProcessAudioOptions): ProcessedAudio {
  const melSpec = checkMelSpec(options.melSpec ?? DEFAULT_MEL_SPEC);
  if (input.length === 0) throw new MediaError('MEDIA_EMPTY', 'The recording is empty');
  if (input.length > options.maxBytes) {
    throw new MediaError('MEDIA_TOO_LARGE', `The recording is ${input.length} bytes; the limit is ${options.maxBytes}`);
  }
  const layout = parseWav(input);
  const durationSeconds = layout.frames / layout.sampleRate;
  if (durationSeconds > options.maxSeconds) {
    throw new MediaError('AUDIO_TOO_LONG', `The recording lasts ${durationSeconds.toFixed(1)} s; the limit is ${options.maxSeconds} s`);
  }
  const mono16k = resample(decodeMono(input, layout), layout.sampleRate, MODEL_SAMPLE_RATE);
  const sound = findSoundRange(mono16k, MODEL_SAMPLE_RATE);
  if (sound.end === sound.start) throw new MediaError('AUDIO_SILENT', 'The recording holds only silence');
  const samples = mono16k.slice(sound.start, sound.end);
  const wav16k = encodePcm16Wav(mono16k, MODEL_SAMPLE_RATE);
  return {
    wav16k,
    sha256: sha256Hex(wav16k),
    sampleRate: MODEL_SAMPLE_RATE,
    samples,
    durationSeconds,
    trimmedDurationSeconds: samples.length / MODEL_SAMPLE_RATE,
    trim: { startSeconds: sound.start / MODEL_SAMPLE_RATE, endSeconds: sound.end / MODEL_SAMPLE_RATE },
    logMel: logMelSpectrogram(samples, melSpec),
    source: { encoding: layout.encoding, bitsPerSample: layout.bitsPerSample, channels: layout.channels, sampleRate: layout.sampleRate },
  };
}

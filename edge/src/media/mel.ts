import { z } from 'zod';
import { Hema3nError } from '../errors.js';
import { Fft } from './fft.js';

export type MelScale = 'slaney' | 'htk';

/**
 * Log-mel front end as a model manifest states it. Defaults of the optional fields follow
 * librosa.filters.mel (Slaney scale, area-normalised triangles); torchaudio's defaults are
 * melScale 'htk' with filterNorm 'none'.
 */
export const melSpecSchema = z
  .object({
    sampleRate: z.literal(16000),
    nFft: z.number().int().min(32).max(4096),
    hopLength: z.number().int().min(1),
    nMels: z.number().int().min(1).max(256),
    fMin: z.number().min(0),
    fMax: z.number().positive(),
    melScale: z.enum(['slaney', 'htk']).default('slaney'),
    filterNorm: z.enum(['slaney', 'none']).default('slaney'),
  })
  .refine((spec) => spec.hopLength <= spec.nFft, { path: ['hopLength'], message: 'must not exceed nFft' })
  .refine((spec) => spec.fMin < spec.fMax && spec.fMax <= spec.sampleRate / 2, { path: ['fMax'], message: 'must lie above fMin and at most sampleRate / 2' });

export type MelSpec = z.input<typeof melSpecSchema>;
type ResolvedMelSpec = z.output<typeof melSpecSchema>;

/** 25 ms window, 10 ms hop, 64 bands over the whole 0-8 kHz band. */
export const DEFAULT_MEL_SPEC: MelSpec = Object.freeze({ sampleRate: 16000, nFft: 400, hopLength: 160, nMels: 64, fMin: 0, fMax: 8000 });

/** Added before the log so digital silence gives a finite floor, log(1e-6), instead of -Infinity. */
export const LOG_MEL_EPSILON = 1e-6;

export interface LogMel {
  /** Row-major [frames, nMels]: frame t, band m at t * nMels + m; natural log of (power + 1e-6). */
  data: Float32Array;
  frames: number;
  nMels: number;
}

export function checkMelSpec(spec: unknown): ResolvedMelSpec {
  const parsed = melSpecSchema.safeParse(spec);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => ({ field: `melSpec.${issue.path.join('.')}`, problem: issue.message }));
  throw new Hema3nError('CONFIG_INVALID', 'Audio model input spec is invalid', { issues });
}

// Slaney (Auditory Toolbox): linear below 1 kHz (200/3 Hz per mel), logarithmic above.
const SLANEY_HZ_PER_MEL = 200 / 3;
const SLANEY_BREAK_HZ = 1000;
const SLANEY_BREAK_MEL = SLANEY_BREAK_HZ / SLANEY_HZ_PER_MEL;
const SLANEY_LOG_STEP = Math.log(6.4) / 27;

export function hzToMel(hz: number, scale: MelScale): number {
  if (scale === 'htk') return 2595 * Math.log10(1 + hz / 700);
  if (hz < SLANEY_BREAK_HZ) return hz / SLANEY_HZ_PER_MEL;
  return SLANEY_BREAK_MEL + Math.log(hz / SLANEY_BREAK_HZ) / SLANEY_LOG_STEP;
}

export function melToHz(mel: number, scale: MelScale): number {
  if (scale === 'htk') return 700 * (10 ** (mel / 2595) - 1);
  if (mel < SLANEY_BREAK_MEL) return mel * SLANEY_HZ_PER_MEL;
  return SLANEY_BREAK_HZ * Math.exp(SLANEY_LOG_STEP * (mel - SLANEY_BREAK_MEL));
}

export interface FilterbankSpec {
  sampleRate: number;
  nFft: number;
  nMels: number;
  fMin: number;
  fMax: number;
  melScale: MelScale;
  filterNorm: 'slaney' | 'none';
}

/**
 * Triangular filters with corners at nMels + 2 points equally spaced in mel, evaluated at the
 * nFft / 2 + 1 DFT bin frequencies (the construction of librosa.filters.mel). Row-major [nMels, bins].
 */
export function melFilterbank(spec: FilterbankSpec): Float64Array {
  const bins = Math.floor(spec.nFft / 2) + 1;
  const lowMel = hzToMel(spec.fMin, spec.melScale);
  const highMel = hzToMel(spec.fMax, spec.melScale);
  const corners = Array.from({ length: spec.nMels + 2 }, (_, i) => melToHz(lowMel + ((highMel - lowMel) * i) / (spec.nMels + 1), spec.melScale));
  const weights = new Float64Array(spec.nMels * bins);
  for (let m = 0; m < spec.nMels; m++) {
    const [left, centre, right] = [corners[m]!, corners[m + 1]!, corners[m + 2]!];
    const norm = spec.filterNorm === 'slaney' ? 2 / (right - left) : 1;
    for (let k = 0; k < bins; k++) {
      const hz = (k * spec.sampleRate) / spec.nFft;
      const rising = (hz - left) / (centre - left);
      const falling = (right - hz) / (right - centre);
      weights[m * bins + k] = Math.max(0, Math.min(rising, falling)) * norm;
    }
  }
  return weights;
}

/**
 * Power spectrogram through the mel filterbank, then log. Frames are centred (frame t covers
 * samples around t * hopLength, the signal reflected at both ends, as torch.stft center=True),
 * windowed with a periodic Hann window of nFft samples, and transformed with an exact nFft DFT.
 */
export function logMelSpectrogram(samples: Float32Array, spec: ResolvedMelSpec): LogMel {
  const { nFft, hopLength, nMels } = spec;
  const bins = Math.floor(nFft / 2) + 1;
  const filterbank = melFilterbank(spec);
  const spans = Array.from({ length: nMels }, (_, m) => nonZeroSpan(filterbank, m * bins, bins));
  const spectra = new PairedPowerSpectra(nFft);
  const frames = 1 + Math.floor(samples.length / hopLength);
  const data = new Float32Array(frames * nMels);
  for (let t = 0; t < frames; t += 2) {
    const [first, second] = spectra.compute(samples, t * hopLength, Math.min(t + 1, frames - 1) * hopLength);
    writeBands(data, t, first, filterbank, spans);
    if (t + 1 < frames) writeBands(data, t + 1, second, filterbank, spans);
  }
  return { data, frames, nMels };
}

function writeBands(data: Float32Array, frame: number, power: Float64Array, filterbank: Float64Array, spans: readonly BinSpan[]): void {
  for (let m = 0; m < spans.length; m++) {
    data[frame * spans.length + m] = Math.log(bandEnergy(filterbank, spans[m]!, power) + LOG_MEL_EPSILON);
  }
}

/**
 * Two real frames per complex DFT: frame A goes in the real part, frame B in the imaginary part,
 * and the conjugate symmetry of real signals separates them again (A[k] = (Z[k] + conj Z[N-k]) / 2,
 * B[k] = (Z[k] - conj Z[N-k]) / 2i). Halves the transform work of the spectrogram.
 */
class PairedPowerSpectra {
  private readonly fft: Fft;
  private readonly window: Float64Array;
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  private readonly first: Float64Array;
  private readonly second: Float64Array;

  constructor(private readonly nFft: number) {
    this.fft = new Fft(nFft);
    this.window = periodicHann(nFft);
    this.re = new Float64Array(nFft);
    this.im = new Float64Array(nFft);
    this.first = new Float64Array(Math.floor(nFft / 2) + 1);
    this.second = new Float64Array(Math.floor(nFft / 2) + 1);
  }

  /** Power spectra |X[k]|^2, k = 0..nFft/2, of the frames centred on the two sample positions. */
  compute(samples: Float32Array, centreA: number, centreB: number): [Float64Array, Float64Array] {
    const { nFft, re, im, window } = this;
    const half = Math.floor(nFft / 2);
    for (let n = 0; n < nFft; n++) {
      re[n] = sampleReflected(samples, centreA - half + n) * window[n]!;
      im[n] = sampleReflected(samples, centreB - half + n) * window[n]!;
    }
    this.fft.forward(re, im);
    for (let k = 0; k <= half; k++) {
      const mirror = (nFft - k) % nFft;
      const aRe = (re[k]! + re[mirror]!) / 2;
      const aIm = (im[k]! - im[mirror]!) / 2;
      const bRe = (im[k]! + im[mirror]!) / 2;
      const bIm = (re[mirror]! - re[k]!) / 2;
      this.first[k] = aRe * aRe + aIm * aIm;
      this.second[k] = bRe * bRe + bIm * bIm;
    }
    return [this.first, this.second];
  }
}

/** A triangle touches few bins; summing only those keeps the filterbank product cheap. */
interface BinSpan {
  offset: number;
  first: number;
  end: number;
}

function nonZeroSpan(filterbank: Float64Array, offset: number, bins: number): BinSpan {
  let first = 0;
  while (first < bins && filterbank[offset + first] === 0) first++;
  let end = bins;
  while (end > first && filterbank[offset + end - 1] === 0) end--;
  return { offset, first, end };
}

function bandEnergy(filterbank: Float64Array, { offset, first, end }: BinSpan, power: Float64Array): number {
  let sum = 0;
  for (let k = first; k < end; k++) sum += filterbank[offset + k]! * power[k]!;
  return sum;
}

function periodicHann(size: number): Float64Array {
  const window = new Float64Array(size);
  for (let n = 0; n < size; n++) window[n] = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / size);
  return window;
}

/** Index mirrored at the ends without repeating the edge sample (numpy 'reflect'), folding as often as needed. */
function sampleReflected(samples: Float32Array, index: number): number {
  const length = samples.length;
  if (length === 1) return samples[0]!;
  const period = 2 * (length - 1);
  let i = ((index % period) + period) % period;
  if (i >= length) i = period - i;
  return samples[i]!;
}

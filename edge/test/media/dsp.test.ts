import { describe, expect, it } from 'vitest';
import { checkMelSpec, DEFAULT_MEL_SPEC, Fft, findSoundRange, hzToMel, logMelSpectrogram, melFilterbank, melToHz, resample } from '../../src/media/index.js';
import { rms, sineWave, toneAmplitude } from './fixtures.js';

/** Deterministic pseudo-random numbers in [-1, 1) (xorshift32). */
function randomSignal(length: number, seed: number): Float64Array {
  const values = new Float64Array(length);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    values[i] = state / 2 ** 31 - 1;
  }
  return values;
}

function directDft(re: Float64Array, im: Float64Array): { re: Float64Array; im: Float64Array } {
  const n = re.length;
  const outRe = new Float64Array(n);
  const outIm = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let sumRe = 0;
    let sumIm = 0;
    for (let t = 0; t < n; t++) {
      const angle = (-2 * Math.PI * ((k * t) % n)) / n;
      sumRe += re[t]! * Math.cos(angle) - im[t]! * Math.sin(angle);
      sumIm += re[t]! * Math.sin(angle) + im[t]! * Math.cos(angle);
    }
    outRe[k] = sumRe;
    outIm[k] = sumIm;
  }
  return { re: outRe, im: outIm };
}

describe('FFT', () => {
  it.each([1, 2, 3, 8, 64, 100, 400, 512, 1000])('matches a direct DFT on random complex input of length %i', (size) => {
    const re = randomSignal(size, size * 7 + 1);
    const im = randomSignal(size, size * 13 + 5);
    const expected = directDft(re, im);
    new Fft(size).forward(re, im);
    let worst = 0;
    for (let k = 0; k < size; k++) worst = Math.max(worst, Math.abs(re[k]! - expected.re[k]!), Math.abs(im[k]! - expected.im[k]!));
    expect(worst).toBeLessThan(1e-9 * size);
  });

  it('puts a pure cosine in exactly its two bins', () => {
    const size = 400;
    const re = Float64Array.from({ length: size }, (_, n) => Math.cos((2 * Math.PI * 25 * n) / size));
    const im = new Float64Array(size);
    new Fft(size).forward(re, im);
    expect(re[25]).toBeCloseTo(200, 9);
    expect(re[375]).toBeCloseTo(200, 9);
    expect(Math.hypot(re[24]!, im[24]!)).toBeLessThan(1e-9);
  });
});

describe('mel scale', () => {
  // Reference values from the librosa documentation (hz_to_mel / mel_to_hz examples).
  it.each([
    [60, 0.9],
    [110, 1.65],
    [220, 3.3],
    [440, 6.6],
    [11025, 49.91059448015905],
  ])('Slaney: %d Hz is %d mel', (hz, mel) => {
    expect(hzToMel(hz, 'slaney')).toBeCloseTo(mel, 10);
    expect(melToHz(mel, 'slaney')).toBeCloseTo(hz, 8);
  });

  it('Slaney: mels 1 to 5 are 66.667 to 333.333 Hz, linear below 1 kHz', () => {
    expect([1, 2, 3, 4, 5].map((mel) => melToHz(mel, 'slaney'))).toEqual([1, 2, 3, 4, 5].map((mel) => expect.closeTo((mel * 200) / 3, 9)));
    expect(hzToMel(1000, 'slaney')).toBeCloseTo(15, 12);
  });

  it('HTK: 2595 log10(1 + f/700), so 700 Hz is 2595 log10 2 and 1 kHz is about 1000 mel', () => {
    expect(hzToMel(700, 'htk')).toBeCloseTo(2595 * Math.log10(2), 10);
    expect(hzToMel(1000, 'htk')).toBeCloseTo(999.9855, 3);
    expect(hzToMel(8000, 'htk')).toBeCloseTo(2840.023, 3);
    for (const hz of [0, 123.4, 4000, 7999]) expect(melToHz(hzToMel(hz, 'htk'), 'htk')).toBeCloseTo(hz, 8);
  });
});

describe('mel filterbank', () => {
  it('equals librosa.filters.mel(sr=22050, n_fft=2048) in its first two filters', () => {
    // Values of librosa's slaney-scale, slaney-normalised filterbank as published for its port mel_filter.
    const bank = melFilterbank({ sampleRate: 22050, nFft: 2048, nMels: 128, fMin: 0, fMax: 11025, melScale: 'slaney', filterNorm: 'slaney' });
    expect(bank).toHaveLength(128 * 1025);
    const row0 = [0, 0.016182853208219942, 0.032365706416439884, 0.028990088037379964, 0.012807234829160026, 0];
    const row1 = [0, 0, 0, 0.009779235793639925, 0.025962089001859864, 0.035393705451959974, 0.01921085224374004, 0.003027999035520103, 0];
    row0.forEach((value, k) => expect(bank[k]).toBeCloseTo(value, 12));
    row1.forEach((value, k) => expect(bank[1025 + k]).toBeCloseTo(value, 12));
  });

  it('has no empty filter with the default spec (64 bands over 0-8 kHz at a 400-point DFT)', () => {
    const spec = checkMelSpec(DEFAULT_MEL_SPEC);
    const bank = melFilterbank(spec);
    for (let m = 0; m < 64; m++) expect(Math.max(...bank.subarray(m * 201, (m + 1) * 201))).toBeGreaterThan(0);
  });

  it('without normalisation, overlapping triangles sum to 1 between the first and last centres', () => {
    const spec = { sampleRate: 16000, nFft: 400, nMels: 40, fMin: 0, fMax: 8000, melScale: 'htk' as const, filterNorm: 'none' as const };
    const bank = melFilterbank(spec);
    const firstCentre = melToHz(hzToMel(8000, 'htk') / 41, 'htk');
    const lastCentre = melToHz((40 * hzToMel(8000, 'htk')) / 41, 'htk');
    for (let k = 0; k <= 200; k++) {
      const hz = k * 40;
      if (hz < firstCentre || hz > lastCentre) continue;
      let sum = 0;
      for (let m = 0; m < 40; m++) sum += bank[m * 201 + k]!;
      expect(sum).toBeCloseTo(1, 9);
    }
  });
});

describe('log-mel spectrogram', () => {
  it('equals a direct computation: reflected centred frames, periodic Hann, exact DFT power, filterbank, log', () => {
    const spec = checkMelSpec(DEFAULT_MEL_SPEC);
    const samples = Float32Array.from(randomSignal(2100, 99), (v) => v * 0.3);
    const result = logMelSpectrogram(samples, spec);
    const bank = melFilterbank(spec);
    expect(result.frames).toBe(1 + Math.floor(2100 / 160));
    const reflect = (i: number): number => samples[i < 0 ? -i : i >= samples.length ? 2 * (samples.length - 1) - i : i]!;
    for (let t = 0; t < result.frames; t++) {
      const re = Float64Array.from({ length: 400 }, (_, n) => reflect(t * 160 - 200 + n) * (0.5 - 0.5 * Math.cos((2 * Math.PI * n) / 400)));
      const dft = directDft(re, new Float64Array(400));
      for (let m = 0; m < 64; m++) {
        let energy = 0;
        for (let k = 0; k <= 200; k++) energy += bank[m * 201 + k]! * (dft.re[k]! ** 2 + dft.im[k]! ** 2);
        expect(result.data[t * 64 + m]).toBeCloseTo(Math.log(energy + 1e-6), 4);
      }
    }
  });

  it('puts a 1 kHz tone in the band centred nearest 1 kHz, and digital silence at log(1e-6)', () => {
    const spec = checkMelSpec(DEFAULT_MEL_SPEC);
    const tone = logMelSpectrogram(sineWave(1000, 16000, 0.5), spec);
    const frame = 20;
    const row = Array.from(tone.data.subarray(frame * 64, frame * 64 + 64));
    const peak = row.indexOf(Math.max(...row));
    const centres = Array.from({ length: 64 }, (_, m) => melToHz(((m + 1) * hzToMel(8000, 'slaney')) / 65, 'slaney'));
    const nearest = centres.reduce((best, hz, m) => (Math.abs(hz - 1000) < Math.abs(centres[best]! - 1000) ? m : best), 0);
    expect(Math.abs(peak - nearest)).toBeLessThanOrEqual(1);
    const silence = logMelSpectrogram(new Float32Array(1600), spec);
    expect(Array.from(silence.data).every((value) => Math.abs(value - Math.log(1e-6)) < 1e-5)).toBe(true);
  });
});

describe('resampler', () => {
  it.each([8000, 11025, 22050, 32000, 44100, 48000])('keeps a 1 kHz tone at %i Hz at the same pitch and level at 16 kHz', (rate) => {
    const output = resample(sineWave(1000, rate, 1), rate, 16000);
    expect(output.length).toBe(16000);
    const steady = output.subarray(1600, 14400);
    expect(toneAmplitude(steady, 16000, 1000)).toBeCloseTo(0.5, 3);
    expect(rms(steady)).toBeCloseTo(0.5 / Math.SQRT2, 3);
  });

  it.each([
    [48000, 12000],
    [48000, 9000],
    [44100, 11025],
    [22050, 10000],
    [32000, 15000],
  ])('removes a %i Hz recording\'s %i Hz tone instead of folding it below 8 kHz (at least 60 dB down)', (rate, hz) => {
    const output = resample(sineWave(hz, rate, 1), rate, 16000);
    const steady = output.subarray(1600, 14400);
    expect(rms(steady) / (0.5 / Math.SQRT2)).toBeLessThan(1e-3);
  });

  it('passes 16 kHz through unchanged', () => {
    const input = Float32Array.from(randomSignal(1000, 3));
    expect(resample(input, 16000, 16000)).toEqual(input);
  });
});

describe('silence trim', () => {
  it('finds sound between silences and keeps 100 ms either side', () => {
    const signal = new Float32Array(48000);
    signal.set(sineWave(440, 16000, 1, 0.2), 16000);
    const range = findSoundRange(signal, 16000);
    expect(range).toEqual({ start: 16000 - 1600, end: 32000 + 1600 });
  });

  it('treats hiss 40 dB below the loudest sound as silence, but not quieter speech 20 dB down', () => {
    const hiss = Float32Array.from(randomSignal(48000, 5), (v) => v * 0.004);
    const signal = Float32Array.from(hiss);
    signal.set(sineWave(440, 16000, 0.5, 0.05), 8000); // -29 dBFS: quieter part first
    signal.set(sineWave(440, 16000, 0.5, 0.5), 24000); // -9 dBFS
    const range = findSoundRange(signal, 16000);
    expect(range.start).toBe(8000 - 1600);
    expect(range.end).toBe(32000 + 1600);
  });

  it('reports an all-silent signal as an empty range', () => {
    expect(findSoundRange(new Float32Array(16000), 16000)).toEqual({ start: 0, end: 0 });
  });
});

/**
 * Leading/trailing silence trim by short-time energy. The signal is cut into 10 ms frames; a frame
 * is sound when its RMS level is above max(-55 dBFS, loudest frame - 40 dB). The relative part
 * follows loud recordings (hiss 40 dB under the voice counts as silence); the absolute floor stops
 * a near-silent recording from promoting its own hiss to sound. 100 ms are kept on each side of the
 * first and last sound frames so soft onsets and released consonants are not clipped. Only the
 * ends are trimmed: pauses inside the recording stay.
 */
export const SILENCE_FRAME_SECONDS = 0.01;
export const SILENCE_ABSOLUTE_FLOOR_DBFS = -55;
export const SILENCE_RELATIVE_DB = 40;
export const SILENCE_MARGIN_SECONDS = 0.1;

export interface TrimRange {
  /** First kept sample (inclusive) and end (exclusive); start === end when everything is silence. */
  start: number;
  end: number;
}

export function findSoundRange(samples: Float32Array, sampleRate: number): TrimRange {
  const frameLength = Math.round(SILENCE_FRAME_SECONDS * sampleRate);
  const levels = frameLevelsDb(samples, frameLength);
  const loudest = levels.reduce((max, level) => Math.max(max, level), -Infinity);
  const threshold = Math.max(SILENCE_ABSOLUTE_FLOOR_DBFS, loudest - SILENCE_RELATIVE_DB);
  const first = levels.findIndex((level) => level > threshold);
  if (first < 0) return { start: 0, end: 0 };
  const last = levels.findLastIndex((level) => level > threshold);
  const margin = Math.round(SILENCE_MARGIN_SECONDS * sampleRate);
  return {
    start: Math.max(0, first * frameLength - margin),
    end: Math.min(samples.length, (last + 1) * frameLength + margin),
  };
}

function frameLevelsDb(samples: Float32Array, frameLength: number): number[] {
  const levels: number[] = [];
  for (let start = 0; start < samples.length; start += frameLength) {
    const end = Math.min(samples.length, start + frameLength);
    let energy = 0;
    for (let n = start; n < end; n++) energy += samples[n]! * samples[n]!;
    levels.push(10 * Math.log10(energy / (end - start) + 1e-20));
  }
  return levels;
}

import { describe, expect, it } from 'vitest';
import { AUDIO_SIZE, IMAGE_SIZE, poolAudioFeatures, poolImageFeatures } from '../build/index.js';

describe('pooled image features', () => {
  // Every cell of channel c holds c + 0.1 * cell, alternating +-0.5 along x: mean c + 0.1 * cell, std 0.5.
  const side = 224;
  const tensor = new Float32Array(3 * side * side);
  for (let c = 0; c < 3; c++) {
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        const cell = Math.floor(y / 56) * 4 + Math.floor(x / 56);
        tensor[c * side * side + y * side + x] = c + 0.1 * cell + (x % 2 === 0 ? 0.5 : -0.5);
      }
    }
  }
  const features = poolImageFeatures(tensor);

  it('puts 48 per-cell channel means first and 48 standard deviations after, cell index gy*4+gx', () => {
    expect(features).toHaveLength(IMAGE_SIZE);
    for (let c = 0; c < 3; c++) {
      for (let cell = 0; cell < 16; cell++) {
        expect(features[c * 16 + cell]).toBeCloseTo(c + 0.1 * cell, 5);
        expect(features[48 + c * 16 + cell]).toBeCloseTo(0.5, 5);
      }
    }
  });

  it('refuses a tensor that is not [1, 3, 224, 224]', () => {
    expect(() => poolImageFeatures(new Float32Array(3 * 112 * 112))).toThrow();
  });
});

describe('pooled audio features', () => {
  it('gives per-band mean then population std over frames', () => {
    const frames = 2;
    const logMel = new Float32Array(frames * 64);
    for (let b = 0; b < 64; b++) {
      logMel[b] = b;
      logMel[64 + b] = b + 2;
    }
    const features = poolAudioFeatures(logMel, frames);
    expect(features).toHaveLength(AUDIO_SIZE);
    for (let b = 0; b < 64; b++) {
      expect(features[b]).toBeCloseTo(b + 1, 5);
      expect(features[64 + b]).toBeCloseTo(1, 5);
    }
  });

  it('refuses a recording without a single frame', () => {
    expect(() => poolAudioFeatures(new Float32Array(0), 0)).toThrow();
  });
});

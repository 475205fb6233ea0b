/**
 * Pooled audio and image features: how the runtime turns a recording or a photo into the model's
 * `audio` and `image` inputs. The numbers here are the contract written into the manifest.
 */
export const AUDIO_SPEC = {
  sampleRateHz: 16000,
  channels: 'mono (average channels)',
  sampleScale: 'int16 / 32768 to [-1, 1)',
  windowSamples: 400,
  window: 'periodic Hann',
  hopSamples: 160,
  fftSize: 512,
  spectrum: 'power |X|^2 of the zero-padded 512-point real FFT',
  melBands: 64,
  fMinHz: 60,
  fMaxHz: 7800,
  melScale: 'HTK: mel = 2595 * log10(1 + f / 700); triangular filters, peak 1, no area normalisation',
  log: 'natural log: ln(melPower + 1e-6)',
  minFrames: 1,
  pooling: 'per band over frames: mean, then population standard deviation (divide by frame count)',
  layout: 'index b = mean of band b (0..63), index 64 + b = std of band b',
  size: 128,
} as const;

export const AUDIO_SIZE = AUDIO_SPEC.size;
const MEL_BANDS = AUDIO_SPEC.melBands;

/** `logMel` is [frames, 64] row-major (frame-major), as produced by the spec above. */
export function poolAudioFeatures(logMel: Float32Array, frames: number): Float32Array {
  if (frames < AUDIO_SPEC.minFrames || logMel.length !== frames * MEL_BANDS) {
    throw new Error(`log-mel must be [frames>=1, ${MEL_BANDS}]`);
  }
  const out = new Float32Array(AUDIO_SIZE);
  for (let b = 0; b < MEL_BANDS; b++) {
    let sum = 0;
    let sumSquares = 0;
    for (let f = 0; f < frames; f++) {
      const x = logMel[f * MEL_BANDS + b] ?? 0;
      sum += x;
      sumSquares += x * x;
    }
    const mean = sum / frames;
    out[b] = mean;
    out[MEL_BANDS + b] = Math.sqrt(Math.max(0, sumSquares / frames - mean * mean));
  }
  return out;
}

export const IMAGE_SPEC = {
  tensor: 'NCHW float32 [1, 3, 224, 224], channels R, G, B',
  preprocessing: 'decode to RGB, resize to 224x224 (bilinear, no crop), divide by 255, then (x - mean[c]) / std[c]',
  channelMean: [0.485, 0.456, 0.406],
  channelStd: [0.229, 0.224, 0.225],
  grid: 4,
  cellPixels: 56,
  pooling: 'per channel c and grid cell (gy, gx) covering rows gy*56..gy*56+55 and columns gx*56..gx*56+55: '
    + 'mean over the 3136 pixels, then population standard deviation (divide by 3136)',
  layout: 'index c*16 + gy*4 + gx = mean, index 48 + c*16 + gy*4 + gx = std',
  size: 96,
} as const;

export const IMAGE_SIZE = IMAGE_SPEC.size;
const SIDE = 224;
const GRID = IMAGE_SPEC.grid;
const CELL = IMAGE_SPEC.cellPixels;
const CELLS_PER_CHANNEL = GRID * GRID;
const MEANS = 3 * CELLS_PER_CHANNEL;

/** `nchw` is the normalised [1, 3, 224, 224] image tensor described by IMAGE_SPEC. */
export function poolImageFeatures(nchw: Float32Array): Float32Array {
  if (nchw.length !== 3 * SIDE * SIDE) throw new Error('image tensor must be [1, 3, 224, 224]');
  const out = new Float32Array(IMAGE_SIZE);
  for (let c = 0; c < 3; c++) {
    for (let gy = 0; gy < GRID; gy++) {
      for (let gx = 0; gx < GRID; gx++) {
        const { mean, std } = cellStatistics(nchw, c, gy, gx);
        const cell = c * CELLS_PER_CHANNEL + gy * GRID + gx;
        out[cell] = mean;
        out[MEANS + cell] = std;
      }
    }
  }
  return out;
}

function cellStatistics(nchw: Float32Array, c: number, gy: number, gx: number): { mean: number; std: number } {
  let sum = 0;
  let sumSquares = 0;
  for (let y = gy * CELL; y < (gy + 1) * CELL; y++) {
    const row = c * SIDE * SIDE + y * SIDE;
    for (let x = gx * CELL; x < (gx + 1) * CELL; x++) {
      const value = nchw[row + x] ?? 0;
      sum += value;
      sumSquares += value * value;
    }
  }
  const n = CELL * CELL;
  const mean = sum / n;
  return { mean, std: Math.sqrt(Math.max(0, sumSquares / n - mean * mean)) };
}

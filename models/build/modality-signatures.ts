/**
 * Synthetic pooled audio and image features. A real recording or photo is not available at build
 * time, so each clinical sign is modelled as a shift in the pooled statistics (e.g. a wheeze lifts
 * the mean energy of the upper-middle mel bands and makes them steadier). The network can only
 * learn these made-up signatures; a real model must be trained on real recordings and photos.
 */
import { AUDIO_SIZE, IMAGE_SIZE } from './modality-features.js';
import type { AudioSign, ImageSign } from './presentations.js';
import type { Random } from './prng.js';

interface BandShift { readonly from: number; readonly to: number; readonly mean: number; readonly std: number }

const AUDIO_SHIFTS: Record<AudioSign, readonly BandShift[]> = {
  wheeze: [{ from: 28, to: 44, mean: 2, std: -0.4 }],
  stridor: [{ from: 18, to: 32, mean: 2.5, std: 0.3 }],
  crackles: [{ from: 8, to: 30, mean: 0.5, std: 1.2 }],
  snoring: [{ from: 0, to: 10, mean: 2.5, std: 1 }],
  slurred_speech: [{ from: 6, to: 24, mean: -1, std: -0.6 }],
  cough: [{ from: 0, to: 63, mean: 0.3, std: 0.8 }],
  distressed_voice: [{ from: 10, to: 40, mean: 1.2, std: 0.6 }],
};

const BANDS = AUDIO_SIZE / 2;

export function synthesiseAudio(random: Random, sign: AudioSign | undefined): Float32Array {
  const out = new Float32Array(AUDIO_SIZE);
  const gain = random.uniform(-2, 2);
  const tilt = random.uniform(-1, 1);
  for (let b = 0; b < BANDS; b++) {
    out[b] = -4 - 4 * (b / (BANDS - 1)) + gain + tilt * Math.cos((Math.PI * b) / BANDS) + 0.4 * random.normal();
    out[BANDS + b] = Math.max(0.05, 1.5 + 0.3 * random.normal());
  }
  const effective = sign ?? (random.chance(0.15) ? 'cough' : undefined);
  if (effective !== undefined) applyBandShifts(out, AUDIO_SHIFTS[effective], random.uniform(0.4, 1.2));
  return out;
}

function applyBandShifts(out: Float32Array, shifts: readonly BandShift[], strength: number): void {
  for (const shift of shifts) {
    for (let b = shift.from; b <= shift.to; b++) {
      out[b] = (out[b] ?? 0) + strength * shift.mean;
      out[BANDS + b] = Math.max(0.05, (out[BANDS + b] ?? 0) + strength * shift.std);
    }
  }
}

/** Per channel (R, G, B) mean shift and std shift applied to the chosen grid cells. */
interface CellShift { readonly mean: readonly [number, number, number]; readonly std: number }
type CellChooser = (random: Random) => number[];

const GRID = 4;
const ALL_CELLS = Array.from({ length: GRID * GRID }, (_, i) => i);
const block2x2: CellChooser = (random) => {
  const gy = random.int(GRID - 1);
  const gx = random.int(GRID - 1);
  return [gy * GRID + gx, gy * GRID + gx + 1, (gy + 1) * GRID + gx, (gy + 1) * GRID + gx + 1];
};
const someCells = (count: number): CellChooser => (random) => Array.from({ length: count }, () => random.int(GRID * GRID));

const IMAGE_SHIFTS: Record<ImageSign, { cells: CellChooser; shift: CellShift }> = {
  burn: { cells: block2x2, shift: { mean: [1, -0.3, -0.3], std: 0.4 } },
  bleeding: { cells: someCells(3), shift: { mean: [1.2, -0.6, -0.6], std: 0.2 } },
  pallor: { cells: () => ALL_CELLS, shift: { mean: [0.1, 0.4, 0.4], std: -0.15 } },
  cyanosis: { cells: () => ALL_CELLS, shift: { mean: [-0.4, 0, 0.5], std: 0 } },
  hives: { cells: () => ALL_CELLS, shift: { mean: [0.5, 0, 0], std: 0.35 } },
  rash: { cells: block2x2, shift: { mean: [0.6, 0, 0], std: 0.3 } },
  facial_droop: { cells: () => [4, 5, 8, 9], shift: { mean: [0.4, 0.4, 0.4], std: 0.2 } },
  deformity: { cells: block2x2, shift: { mean: [0, 0, 0], std: 0.6 } },
  wound: { cells: someCells(1), shift: { mean: [0.8, -0.2, -0.2], std: 0.4 } },
};

const CELLS_PER_CHANNEL = GRID * GRID;
const MEANS = 3 * CELLS_PER_CHANNEL;

export function synthesiseImage(random: Random, sign: ImageSign | undefined): Float32Array {
  const out = new Float32Array(IMAGE_SIZE);
  for (let c = 0; c < 3; c++) {
    const scene = 0.3 * random.normal();
    for (let cell = 0; cell < CELLS_PER_CHANNEL; cell++) {
      out[c * CELLS_PER_CHANNEL + cell] = scene + 0.35 * random.normal();
      out[MEANS + c * CELLS_PER_CHANNEL + cell] = Math.max(0.02, 0.55 + 0.15 * random.normal());
    }
  }
  if (sign !== undefined) {
    const { cells, shift } = IMAGE_SHIFTS[sign];
    applyCellShift(out, cells(random), shift, random.uniform(0.5, 1.3));
  }
  return out;
}

function applyCellShift(out: Float32Array, cells: readonly number[], shift: CellShift, strength: number): void {
  for (const cell of new Set(cells)) {
    for (let c = 0; c < 3; c++) {
      const mean = c * CELLS_PER_CHANNEL + cell;
      out[mean] = (out[mean] ?? 0) + strength * (shift.mean[c] ?? 0);
      out[MEANS + mean] = Math.max(0.02, (out[MEANS + mean] ?? 0) + strength * shift.std);
    }
  }
}

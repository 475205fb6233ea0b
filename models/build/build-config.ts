/** Fixed settings of the reference build; tests use them to regenerate the same held-out cases. */
import { deriveSeed } from './prng.js';
import type { TrainingOptions } from './training.js';

export const DEFAULT_SEED = 20251123;
export const CASE_COUNTS = { training: 48000, heldOut: 5000, calibration: 1000 } as const;
export const TRAINING_OPTIONS: TrainingOptions = { epochs: 10, batchSize: 64, learningRate: 3e-3, weightDecay: 1e-4, confidenceWeight: 0.5 };

/** Independent streams per purpose, so e.g. more training cases never change the held-out set. */
export const datasetSeeds = (seed: number): { training: number; heldOut: number; calibration: number; weights: number; batchOrder: number } => ({
  training: deriveSeed(seed, 'training-cases'),
  heldOut: deriveSeed(seed, 'held-out-cases'),
  calibration: deriveSeed(seed, 'calibration-cases'),
  weights: deriveSeed(seed, 'initial-weights'),
  batchOrder: deriveSeed(seed, 'batch-order'),
});

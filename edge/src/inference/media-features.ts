import { Hema3nError } from '../errors.js';
import type { ImageTensor, ImageTensorSpec, LogMel, MelSpec } from '../media/index.js';
// The contract's reference encoders live with the model build (models/README.md): imported, not
// copied. Only these dependency-free files are imported; models/build/index.ts would also load
// the training and ONNX export code on every start.
// eslint-disable-next-line no-restricted-imports
import { AUDIO_SPEC, IMAGE_SPEC, poolAudioFeatures, poolImageFeatures } from '../../../models/build/modality-features.js';
import type { ModelManifest } from './manifest.js';

/** Modality-mask columns, in the order the contract fixes. */
export const MODALITIES = ['vitals', 'text', 'audio', 'image'] as const;
export type Modality = (typeof MODALITIES)[number];

export const AUDIO_POOLING = { melBands: AUDIO_SPEC.melBands, size: AUDIO_SPEC.size } as const;
export const IMAGE_POOLING = { grid: IMAGE_SPEC.grid, cellPixels: IMAGE_SPEC.cellPixels, size: IMAGE_SPEC.size } as const;

/** What processAudio produced (ProcessedAudio has it). */
export interface AudioFeatureSource { readonly logMel: LogMel }
/** What processImage produced (ProcessedImage has it). */
export interface ImageFeatureSource { readonly tensor: ImageTensor }

const mediaInvalid = (field: string, problem: string): Hema3nError =>
  new Hema3nError('INPUT_INVALID', 'The media features do not fit the model', { issues: [{ field, problem }] });

/** Per-band mean then std of the log-mel frames, as features.audio.pooling says. */
export function poolAudio(m: ModelManifest, audio: AudioFeatureSource): Float32Array {
  const { melBands, minFrames } = m.features.audio;
  const { data, frames, nMels } = audio.logMel;
  if (nMels !== melBands) throw mediaInvalid('audio.logMel', `has ${nMels} mel bands, the model takes ${melBands} (process it with melSpecFromManifest)`);
  if (frames < minFrames) throw mediaInvalid('audio.logMel', `has ${frames} frames, the model needs at least ${minFrames}`);
  return poolAudioFeatures(data, frames);
}

/** Per-channel, per-grid-cell mean then std of the normalised image, as features.image.pooling says. */
export function poolImage(m: ModelManifest, image: ImageFeatureSource): Float32Array {
  const side = m.features.image.grid * m.features.image.cellPixels;
  const shape = image.tensor.shape;
  if (shape[1] !== 3 || shape[2] !== side || shape[3] !== side) {
    throw mediaInvalid('image.tensor', `is [${shape.join(', ')}], the model takes [1, 3, ${side}, ${side}] (process it with imageTensorSpecFromManifest)`);
  }
  return poolImageFeatures(image.tensor.data);
}

/**
 * The media module's log-mel settings closest to features.audio. The manifest zero-pads each
 * 400-sample window to a 512-point FFT; the media module's FFT is as long as its window, so the
 * window length is kept (25 ms) and the mel filters are evaluated on 400-point bins.
 */
export function melSpecFromManifest(m: ModelManifest): MelSpec {
  const a = m.features.audio;
  return { sampleRate: a.sampleRateHz, nFft: a.windowSamples, hopLength: a.hopSamples, nMels: a.melBands, fMin: a.fMinHz, fMax: a.fMaxHz, melScale: 'htk', filterNorm: 'none' };
}

/**
 * The media module's tensor settings for features.image. The manifest resizes without cropping;
 * the media module crops the centre square, so the two differ on photos that are not square.
 */
export function imageTensorSpecFromManifest(m: ModelManifest): ImageTensorSpec {
  const i = m.features.image;
  return { size: i.grid * i.cellPixels, mean: i.channelMean, std: i.channelStd };
}

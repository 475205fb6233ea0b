export { processImage, DEFAULT_IMAGE_LIMITS, NORMALISED_LONGEST_SIDE, THUMBNAIL_LONGEST_SIDE, MIN_IMAGE_SIDE, MAX_ASPECT_RATIO, type ImageLimits, type ProcessImageOptions, type ProcessedImage, type EncodedImage } from './image-process.js';
export { heifDecodingAvailable, type ImageKind } from './image-format.js';
export { DEFAULT_IMAGE_TENSOR_SPEC, imageTensorSpecSchema, type ImageTensor, type ImageTensorSpec } from './image-tensor.js';
export { processAudio, DEFAULT_AUDIO_LIMITS, MODEL_SAMPLE_RATE, type AudioLimits, type ProcessAudioOptions, type ProcessedAudio } from './audio-process.js';
export { SUPPORTED_SAMPLE_RATES, type SampleEncoding } from './wav-parse.js';
export { DEFAULT_MEL_SPEC, LOG_MEL_EPSILON, melSpecSchema, type LogMel, type MelSpec, type MelScale } from './mel.js';
export {
  MediaReassembler,
  DEFAULT_REASSEMBLY_LIMITS,
  mediaManifestSchema,
  type MediaManifest,
  type MediaChunk,
  type ReassemblyLimits,
  type ReassemblyOptions,
  type TransferProgress,
  type ReassembledMedia,
  type ExpiredTransfer,
  type BeginOutcome,
  type ChunkOutcome,
} from './reassembly.js';
export { MediaError, MEDIA_ERROR_CODES, isMediaError, type MediaErrorCode } from './errors.js';
// Signal-processing parts, exported for benchmarks and for tests against reference values.
export { Fft } from './fft.js';
export { resample } from './resample.js';
export { findSoundRange, type TrimRange } from './silence.js';
export { hzToMel, melToHz, melFilterbank, logMelSpectrogram, checkMelSpec, type FilterbankSpec } from './mel.js';
// Storage and transport-free services over the processing above.
export { MediaService, type MediaLimits, type MediaIntake, type MediaSummary, type MediaContent, type MediaFeatures, type FeatureOptions } from './media-service.js';
export { MediaPart, type MediaPartOptions } from './media-part.js';
export { AudioThread, processAudioHere, type AudioProcessor } from './audio-thread.js';
export { mediaKindOf, assertAcceptedType, type MediaKind } from './upload-kind.js';
export { imageTensorFromStored } from './features.js';

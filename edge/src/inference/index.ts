/**
 * HEMA3N-core inference: verified model packages, one onnxruntime session per model with
 * execution-provider fallback, micro-batching, per-request LoRA adapters fed as graph inputs, and
 * results merged with the clinical rule floor. Transport-free. docs/INFERENCE.md describes it.
 */
export { InferencePart, type InferencePartOptions } from './part.js';
export { InferenceService, DEFAULT_BATCHING, type InferenceOptions } from './service.js';
export { parseInferInput, type InferInput } from './input.js';
export { mergeLevels, softmax, type InferenceResult, type ConditionScore, type Disagreement, type InferenceReason } from './result.js';
export { InferenceError, isInferenceError, type InferenceErrorCode } from './errors.js';
export {
  AdapterRegistry, summarise, type AdapterRegistryOptions, type AdapterSummary, type AdapterRefusal, type AdapterRemoval, type AdapterSource, type ServedAdapter,
} from './adapter-registry.js';
export {
  loadAdapterPackage, adapterDocumentSchema, ADAPTER_DOCUMENT, ADAPTER_FORMATS, NATIVE_WEIGHTS, PEFT_CONFIG, PEFT_WEIGHTS,
  type AdapterDocument, type PreparedAdapter,
} from './adapter-package.js';
export { loadModelPackage, sha256Hex, type ModelPackage } from './model-package.js';
export { modelManifestSchema, type ModelManifest, type LoraTarget } from './manifest.js';
export { ModelRuntime, batchFeeds, type RowOutputs, type RuntimeOptions } from './runtime.js';
export { encodeRow, type EncodedRow, type CaseFeatures } from './features.js';
export { loraFeeds, baseModelFeeds, type LoraFeeds, type LoraMatrices } from './lora.js';
export { MicroBatcher, type BatchingOptions } from './batcher.js';
export {
  EXECUTION_PROVIDERS, providerPlans, openWithFallback, ortSessionFactory,
  type ExecutionProvider, type ProviderPlan, type ProviderAttempt, type SessionFactory, type OpenedSession,
} from './providers.js';
export {
  SIGNING_CONTEXTS, parseFleetPublicKey, verifyPackageSignature, signPackageDocument, signingBytes, keyIdOf,
  type PackageSignature, type FleetPublicKey, type SignedKind,
} from './signing.js';
export { readSafetensors, writeSafetensors, SafetensorsError, type FloatTensor, type Safetensors } from './safetensors.js';
export { melSpecFromManifest, imageTensorSpecFromManifest, MODALITIES, type Modality, type AudioFeatureSource, type ImageFeatureSource } from './media-features.js';
export { resolveInferenceSettings, BUNDLED_MODEL_DIR, BUNDLED_ADAPTERS_DIR, DEV_FLEET_PUBLIC_KEY_FILE, type InferenceSettings } from './settings.js';

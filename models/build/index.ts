/**
 * Public face of the reference-model build code: the contract pieces a runtime or adapter
 * packager can reuse (tokenizer, feature encoders, LoRA conversion) and the build steps the tests
 * exercise. Running the build is `build-reference-model.ts`.
 */
export { CASE_COUNTS, DEFAULT_SEED, TRAINING_OPTIONS, datasetSeeds } from './build-config.js';
export { CONDITIONS, CONDITION_COUNT, ESI_LEVELS, SPECIALTIES, type Esi, conditionIndex } from './conditions.js';
export { agreement, heldOutFigures, predictedCondition, predictedEsi } from './evaluate.js';
export { GRAPH_OUTPUTS, LORA_RANK, LORA_SCALE_INPUT, LORA_TARGETS, exportOnnx, graphInputs, loraInputNames } from './export-onnx.js';
export { type PeftLoraMatrices, loraInputsFromPeft, loraScale, loraTarget } from './lora.js';
export { MODEL_ID, MODEL_VERSION, REFERENCE_STATEMENT } from './manifest.js';
export { AUDIO_SIZE, AUDIO_SPEC, IMAGE_SIZE, IMAGE_SPEC, poolAudioFeatures, poolImageFeatures } from './modality-features.js';
export { MODALITIES, type ModelInputs, encodeCases } from './model-inputs.js';
export { ARCHITECTURE, createNetwork, featureStandardisation, forward } from './network.js';
export { type LoraWeights, type ModelOutputs, feeds, openSession, runModel } from './onnx-runner.js';
export { createRandom, deriveSeed } from './prng.js';
export { calibrateActivations } from './quantize.js';
export { type SyntheticCase, synthesiseCases } from './synthetic-cases.js';
export { SPECIAL_TOKENS, TOKENIZER_SPEC, WordPieceTokenizer, basicTokenize } from './tokenizer.js';
export { trainNetwork } from './training.js';
export { type TriageObservation, esiFromRules, news2 } from './triage-rules.js';
export { VITALS_SIZE, VITAL_FEATURES, type Vitals, encodeVitals } from './vitals-features.js';
export { buildClinicalVocabulary, vocabularyText } from './vocab.js';

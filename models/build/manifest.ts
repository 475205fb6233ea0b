/**
 * manifest.json: everything a runtime needs to feed the model and read its outputs, the LoRA
 * contract for adapter packages, and the build report. The Ed25519 `signature` is added later by
 * the fleet integrator and is deliberately absent here.
 */
import { CONDITIONS, ESI_LEVELS, SPECIALTIES } from './conditions.js';
import { ARCHITECTURE, FUSION_INPUT } from './network.js';
import { GRAPH_OUTPUTS, LORA_RANK, LORA_SCALE_INPUT, LORA_TARGETS, type TensorSpec, graphInputs, loraInputNames } from './export-onnx.js';
import { AUDIO_SPEC, IMAGE_SPEC } from './modality-features.js';
import { MODALITIES } from './model-inputs.js';
import { IR_VERSION, OPSET } from './onnx-graph.js';
import type { ActivationPlan } from './quantize.js';
import { SPECIAL_TOKENS, TOKENIZER_SPEC } from './tokenizer.js';
import { VITAL_FEATURES, VITALS_SIZE, presentIndexOf } from './vitals-features.js';

export const MODEL_ID = 'hema3n-core';
export const MODEL_VERSION = '0.1.0-reference';
export const REFERENCE_STATEMENT = 'reference model trained on synthetic data, not for clinical use';

export interface PackageFile {
  readonly role: 'model' | 'reference-fp32' | 'vocabulary';
  readonly path: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly note: string;
}

export interface ManifestParts {
  readonly modelSha256: string;
  readonly files: readonly PackageFile[];
  readonly vocab: readonly string[];
  readonly activationPlan: ActivationPlan;
  readonly calibrationCases: number;
  readonly training: Record<string, unknown>;
}

const INPUT_NOTES: Record<string, string> = {
  vitals: 'normalised vitals then present flags, see features.vitals',
  input_ids: 'WordPiece ids of the chief complaint, see tokenizer',
  attention_mask: '1 for real tokens, 0 for padding',
  audio: 'pooled log-mel statistics, raw (the graph standardises them), see features.audio',
  image: 'pooled normalised-image statistics, raw (the graph standardises them), see features.image',
  modality_mask: 'columns vitals, text, audio, image: 1 present, 0 absent',
  [LORA_SCALE_INPUT]: 'LoRA scale alpha / r; any value when all LoRA matrices are zero',
};

const OUTPUT_NOTES: Record<string, string> = {
  triage_logits: 'ESI logits; column k is ESI k+1; softmax for probabilities',
  condition_logits: 'condition logits in labels.conditions.classes order',
  confidence: 'sigmoid probability that the top-1 condition is right (learned on synthetic data, not calibrated on real cases)',
  fusion_features: 'auxiliary: fused representation after ReLU (fusion layer output, LoRA included); for diagnostics and LoRA checks, runtimes need not fetch it',
};

const describe = (spec: TensorSpec, notes: Record<string, string>): Record<string, unknown> => ({
  name: spec.name, dtype: spec.dtype, shape: spec.shape,
  description: notes[spec.name] ?? `LoRA matrix, see lora.targets`,
});

function vitalsSection(): Record<string, unknown> {
  const values = VITAL_FEATURES.map((f, i) => ({
    index: i, name: f.name, kind: 'value', source: f.source, mean: f.mean, std: f.std, missingValue: f.missingValue, presentIndex: presentIndexOf(i),
  }));
  const flags = VITAL_FEATURES.map((f, i) => ({
    index: presentIndexOf(i), name: `${f.name}_present`, kind: 'present', of: f.name, valueIndex: i, values: '1 measured, 0 missing',
  }));
  return {
    input: 'vitals',
    size: VITALS_SIZE,
    layout: 'indices 0..10 are values, 11..21 the present flags in the same order',
    normalisation: 'value = (raw - mean) / std in the source unit; missing (absent or non-finite) -> missingValue with present flag 0',
    absent: 'whole modality absent: every value missingValue, every flag 0, modality_mask column 0 = 0',
    features: [...values, ...flags],
  };
}

function tokenizerSection(vocab: readonly string[]): Record<string, unknown> {
  const special = Object.fromEntries(Object.entries(SPECIAL_TOKENS).map(([role, token]) => [role, { token, id: vocab.indexOf(token) }]));
  return { ...TOKENIZER_SPEC, vocabSize: vocab.length, specialTokens: special };
}

function loraSection(): Record<string, unknown> {
  const targets = LORA_TARGETS.map((t) => ({
    layer: t.layer, modulePath: t.modulePath, in: t.inputs, out: t.outputs, rank: LORA_RANK,
    inputs: { A: { name: loraInputNames(t.layer).A, shape: [t.inputs, LORA_RANK] }, B: { name: loraInputNames(t.layer).B, shape: [LORA_RANK, t.outputs] } },
    activationAfter: 'relu',
  }));
  const peftMap = LORA_TARGETS.flatMap((t) => (['A', 'B'] as const).map((m) => ({
    key: `base_model.model.${t.modulePath}.lora_${m}.weight`,
    layer: t.layer, matrix: m, input: loraInputNames(t.layer)[m],
    peftShape: m === 'A' ? ['r', t.inputs] : [t.outputs, 'r'], transpose: true,
  })));
  return {
    rank: LORA_RANK,
    formula: 'y = x W + b + lora_scale * (x A) B, then the layer activation',
    scaleInput: LORA_SCALE_INPUT,
    scale: 'lora_alpha / r with r the adapter\'s own rank before padding (rsLoRA adapters: lora_alpha / sqrt(r)); one scale for all targets',
    padding: `an adapter of rank r < ${LORA_RANK} is zero-padded: A [in, r] -> [in, ${LORA_RANK}] with zero columns, B [r, out] -> [${LORA_RANK}, out] with zero rows; r > ${LORA_RANK} is not supported`,
    baseModel: 'all A and B zero gives exactly the base model outputs',
    precision: 'float32: the LoRA branch reads the float layer input (not the quantised one) and is added to the dequantised layer output',
    targets,
    peft: {
      keyPattern: 'base_model.model.<modulePath>.lora_<A|B>.weight (older PEFT: lora_<A|B>.default.weight)',
      note: 'PEFT stores A as [r, in] and B as [out, r] (torch Linear layout); transpose both to get the model inputs A [in, r] and B [r, out]',
      map: peftMap,
    },
  };
}

function quantizationSection(plan: ActivationPlan, calibrationCases: number): Record<string, unknown> {
  return {
    format: 'QDQ (QuantizeLinear/DequantizeLinear pairs, onnxruntime CPU)',
    weights: {
      dtype: 'int8', scheme: 'symmetric, range [-127, 127], zero point 0', granularity: 'per output channel',
      axis: 'MatMul weights [in, out]: axis 1; text embedding [vocab, dim]: axis 0 (per token row)',
      scale: 'max |w| over the channel / 127',
    },
    activations: {
      dtype: 'uint8', scheme: 'asymmetric, range widened to include 0', granularity: 'per tensor',
      calibration: 'minmax', calibrationSetSize: calibrationCases,
      calibrationSet: 'synthetic cases from an independent seed; rows where the tensor\'s modality is absent are skipped',
      tensors: Object.fromEntries(Object.entries(plan).map(([name, q]) => [name, { min: q.min, max: q.max, scale: q.scale, zeroPoint: q.zeroPoint }])),
    },
    float32: ['biases', 'audio/image standardisation', 'mean pooling of token embeddings', 'modality gates', 'LoRA branch', 'sigmoid'],
  };
}

function architectureSection(): Record<string, unknown> {
  const a = ARCHITECTURE;
  return {
    vitals: `Linear(${VITALS_SIZE},${a.vitalsHidden})-ReLU-Linear(${a.vitalsHidden},${a.vitalsHidden})-ReLU, x modality_mask[:,0]`,
    text: `Embedding(vocab,${a.textEmbedding}) mean-pooled over attention_mask-Linear(${a.textEmbedding},${a.textHidden})-ReLU, x modality_mask[:,1]`,
    audio: `standardise-Linear(${AUDIO_SPEC.size},${a.audioHidden})-ReLU, x modality_mask[:,2]`,
    image: `standardise-Linear(${IMAGE_SPEC.size},${a.imageHidden})-ReLU, x modality_mask[:,3]`,
    fusion: `concat(${FUSION_INPUT})-Linear(${FUSION_INPUT},${a.fusion})+LoRA-ReLU`,
    triageHead: `Linear(${a.fusion},${ESI_LEVELS.length})`,
    conditionHead: `Linear(${a.fusion},${a.conditionHidden})+LoRA-ReLU-Linear(${a.conditionHidden},${CONDITIONS.length})`,
    confidenceHead: `Linear(${a.fusion},1)-Sigmoid`,
  };
}

export function buildManifest(parts: ManifestParts): Record<string, unknown> {
  return {
    id: MODEL_ID,
    version: MODEL_VERSION,
    referenceModel: true,
    statement: REFERENCE_STATEMENT,
    sha256: parts.modelSha256,
    format: { runtime: 'onnxruntime', executionProvider: 'cpu', irVersion: IR_VERSION, opset: OPSET, precision: 'int8-qdq', batchDimension: 'batch (dynamic)' },
    files: parts.files,
    inputs: graphInputs(TOKENIZER_SPEC.maxLength).map((s) => describe(s, INPUT_NOTES)),
    outputs: GRAPH_OUTPUTS.map((s) => describe(s, OUTPUT_NOTES)),
    features: {
      vitals: vitalsSection(),
      text: { inputs: ['input_ids', 'attention_mask'], maxLength: TOKENIZER_SPEC.maxLength, tokenizer: 'see tokenizer', absent: TOKENIZER_SPEC.absentText },
      audio: { input: 'audio', ...AUDIO_SPEC, standardisedInGraph: true, absent: 'zeros, modality_mask column 2 = 0' },
      image: { input: 'image', ...IMAGE_SPEC, standardisedInGraph: true, absent: 'zeros, modality_mask column 3 = 0' },
      modalityMask: { input: 'modality_mask', columns: MODALITIES, values: '1 present, 0 absent; an absent modality\'s branch output is multiplied by 0' },
    },
    tokenizer: tokenizerSection(parts.vocab),
    labels: {
      triage: { output: 'triage_logits', decode: 'ESI = argmax + 1', classes: ESI_LEVELS.map((l, index) => ({ index, ...l })) },
      conditions: { output: 'condition_logits', decode: 'softmax; top-1 = argmax', classes: CONDITIONS.map((c, index) => ({ index, ...c })) },
      confidence: { output: 'confidence', meaning: OUTPUT_NOTES.confidence },
      specialties: SPECIALTIES,
    },
    lora: loraSection(),
    quantization: quantizationSection(parts.activationPlan, parts.calibrationCases),
    architecture: architectureSection(),
    training: parts.training,
  };
}

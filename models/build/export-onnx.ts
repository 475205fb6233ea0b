/**
 * Writes the network as an ONNX graph, either float32 or INT8 QDQ. Both variants share one graph
 * layout; QDQ inserts QuantizeLinear/DequantizeLinear on each MatMul input activation and
 * DequantizeLinear on int8 weights. Biases, the modality gates and the LoRA path stay float32:
 * a LoRA adapter arrives at runtime as float inputs and is added to the layer's float output.
 */
import { CONDITION_COUNT } from './conditions.js';
import { AUDIO_SIZE, IMAGE_SIZE } from './modality-features.js';
import { MODALITIES } from './model-inputs.js';
import { ARCHITECTURE, type Dense, FUSION_INPUT, type Network, TRIAGE_CLASSES } from './network.js';
import { DataType, type Dim, GraphBuilder } from './onnx-graph.js';
import { type ActivationPlan, type CalibratedTensor, quantizeWeight } from './quantize.js';
import { VITALS_SIZE } from './vitals-features.js';

export const LORA_RANK = 8;

/** Layers that accept a LoRA adapter, with the PyTorch module path a PEFT export uses for them. */
export const LORA_TARGETS = [
  { layer: 'fusion', modulePath: 'fusion', inputs: FUSION_INPUT, outputs: ARCHITECTURE.fusion },
  { layer: 'condition_hidden', modulePath: 'condition_hidden', inputs: ARCHITECTURE.fusion, outputs: ARCHITECTURE.conditionHidden },
] as const;
export type LoraLayer = (typeof LORA_TARGETS)[number]['layer'];

export const loraInputNames = (layer: string): { A: string; B: string } => ({ A: `lora_${layer}_A`, B: `lora_${layer}_B` });
export const LORA_SCALE_INPUT = 'lora_scale';

export interface TensorSpec {
  readonly name: string;
  readonly dtype: 'float32' | 'int64';
  readonly shape: readonly Dim[];
}

export function graphInputs(seqLength: number): TensorSpec[] {
  const B = 'batch';
  return [
    { name: 'vitals', dtype: 'float32', shape: [B, VITALS_SIZE] },
    { name: 'input_ids', dtype: 'int64', shape: [B, seqLength] },
    { name: 'attention_mask', dtype: 'int64', shape: [B, seqLength] },
    { name: 'audio', dtype: 'float32', shape: [B, AUDIO_SIZE] },
    { name: 'image', dtype: 'float32', shape: [B, IMAGE_SIZE] },
    { name: 'modality_mask', dtype: 'float32', shape: [B, MODALITIES.length] },
    ...LORA_TARGETS.flatMap((t) => [
      { name: loraInputNames(t.layer).A, dtype: 'float32' as const, shape: [t.inputs, LORA_RANK] },
      { name: loraInputNames(t.layer).B, dtype: 'float32' as const, shape: [LORA_RANK, t.outputs] },
    ]),
    { name: LORA_SCALE_INPUT, dtype: 'float32', shape: [1] },
  ];
}

export const GRAPH_OUTPUTS: readonly TensorSpec[] = [
  { name: 'triage_logits', dtype: 'float32', shape: ['batch', TRIAGE_CLASSES] },
  { name: 'condition_logits', dtype: 'float32', shape: ['batch', CONDITION_COUNT] },
  { name: 'confidence', dtype: 'float32', shape: ['batch', 1] },
  { name: 'fusion_features', dtype: 'float32', shape: ['batch', ARCHITECTURE.fusion] },
];

interface Emitter {
  readonly g: GraphBuilder;
  readonly plan: ActivationPlan | null;
  /** One Q/DQ pair per activation, shared by every MatMul that reads it. */
  readonly fakeQuantized: Map<string, string>;
}

/** Activation as the quantised MatMul sees it: x itself in float32, DQ(Q(x)) in QDQ. */
function matmulInput(e: Emitter, x: string, calibrated: CalibratedTensor): string {
  if (!e.plan) return x;
  const cached = e.fakeQuantized.get(x);
  if (cached) return cached;
  const { scale, zeroPoint } = e.plan[calibrated];
  const s = e.g.floats(`${calibrated}.act_scale`, [], [scale]);
  const zp = e.g.initializer(`${calibrated}.act_zero_point`, DataType.UINT8, [], Uint8Array.of(zeroPoint));
  const q = e.g.op('QuantizeLinear', [x, s, zp], `${calibrated}_quantized`);
  const dq = e.g.op('DequantizeLinear', [q, s, zp], `${calibrated}_dequantized`);
  e.fakeQuantized.set(x, dq);
  return dq;
}

/** The layer's weight as a float tensor: an initializer, or DQ(int8 initializer) with per-output-channel scales. */
function weightTensor(e: Emitter, layer: Dense): string {
  if (!e.plan) return e.g.floats(`${layer.name}.weight`, [layer.inputs, layer.outputs], layer.weight);
  const q = quantizeWeight(layer.weight, layer.inputs, layer.outputs, 1);
  const values = e.g.initializer(`${layer.name}.weight_quantized`, DataType.INT8, [layer.inputs, layer.outputs], q.values);
  const scales = e.g.floats(`${layer.name}.weight_scale`, [layer.outputs], q.scales);
  const zeros = e.g.initializer(`${layer.name}.weight_zero_point`, DataType.INT8, [layer.outputs], new Int8Array(layer.outputs));
  return e.g.op('DequantizeLinear', [values, scales, zeros], `${layer.name}.weight`, { axis: 1 });
}

interface LinearOptions {
  readonly calibrated: CalibratedTensor;
  readonly relu: boolean;
  readonly lora?: LoraLayer;
  readonly output?: string;
}

/** y = x W + b [+ scale * (x A) B] [then ReLU]. The LoRA branch reads the float x, never the quantised one. */
function linear(e: Emitter, x: string, layer: Dense, options: LinearOptions): string {
  const { g } = e;
  const product = g.op('MatMul', [matmulInput(e, x, options.calibrated), weightTensor(e, layer)], `${layer.name}_matmul`);
  let y = g.op('Add', [product, g.floats(`${layer.name}.bias`, [layer.outputs], layer.bias)], `${layer.name}_linear`);
  if (options.lora) {
    const names = loraInputNames(options.lora);
    const down = g.op('MatMul', [x, names.A], `${layer.name}_lora_down`);
    const up = g.op('MatMul', [down, names.B], `${layer.name}_lora_up`);
    const scaled = g.op('Mul', [up, LORA_SCALE_INPUT], `${layer.name}_lora_scaled`);
    y = g.op('Add', [y, scaled], `${layer.name}_with_lora`);
  }
  if (!options.relu) return options.output ? (g.node('Identity', [y], layer.name, {}, [options.output])[0] ?? '') : y;
  return options.output ? (g.node('Relu', [y], layer.name, {}, [options.output])[0] ?? '') : g.op('Relu', [y], layer.name);
}

function textBranch(e: Emitter, net: Network): string {
  const { g } = e;
  const dims = [net.vocabSize, ARCHITECTURE.textEmbedding];
  let table: string;
  if (e.plan) {
    const q = quantizeWeight(net.embedding, net.vocabSize, ARCHITECTURE.textEmbedding, 0);
    const values = g.initializer('text_embedding.weight_quantized', DataType.INT8, dims, q.values);
    const scales = g.floats('text_embedding.weight_scale', [net.vocabSize], q.scales);
    const zeros = g.initializer('text_embedding.weight_zero_point', DataType.INT8, [net.vocabSize], new Int8Array(net.vocabSize));
    table = g.op('DequantizeLinear', [values, scales, zeros], 'text_embedding.weight', { axis: 0 });
  } else {
    table = g.floats('text_embedding.weight', dims, net.embedding);
  }
  const tokens = g.op('Gather', [table, 'input_ids'], 'token_embeddings');
  const mask = g.op('Cast', ['attention_mask'], 'attention_mask_float', { to: DataType.FLOAT });
  const masked = g.op('Mul', [tokens, g.op('Unsqueeze', [mask, g.int64s('axes_2', [2])], 'attention_mask_3d')], 'masked_embeddings');
  const axis1 = g.int64s('axes_1', [1]);
  const sum = g.op('ReduceSum', [masked, axis1], 'embedding_sum', { keepdims: 0 });
  const count = g.op('ReduceSum', [mask, axis1], 'token_count', { keepdims: 1 });
  // Max(count, 1): absent text (all-zero mask) pools to zeros instead of NaN.
  const safeCount = g.op('Max', [count, g.floats('one', [], [1])], 'token_count_safe');
  const pooled = g.op('Div', [sum, safeCount], 'text_pooled');
  return linear(e, pooled, net.text, { calibrated: 'text_pooled', relu: true });
}

function standardised(e: Emitter, input: string, norm: Network['audioNorm'], width: number, label: 'audio_norm' | 'image_norm'): string {
  const centred = e.g.op('Sub', [input, e.g.floats(`${label}.mean`, [width], norm.mean)], `${label}_centred`);
  return e.g.op('Mul', [centred, e.g.floats(`${label}.inv_std`, [width], norm.invStd)], label);
}

function declareInputs(g: GraphBuilder, seqLength: number): void {
  for (const spec of graphInputs(seqLength)) g.input(spec.name, spec.dtype === 'int64' ? DataType.INT64 : DataType.FLOAT, spec.shape);
  for (const spec of GRAPH_OUTPUTS) g.output(spec.name, DataType.FLOAT, spec.shape);
}

export interface ExportMeta {
  readonly version: string;
  readonly seqLength: number;
  readonly metadata: Record<string, string>;
}

export function exportOnnx(net: Network, plan: ActivationPlan | null, meta: ExportMeta): Uint8Array {
  const g = new GraphBuilder('hema3n_core');
  const e: Emitter = { g, plan, fakeQuantized: new Map() };
  declareInputs(g, meta.seqLength);
  const gates = g.node('Split', ['modality_mask', g.int64s('split_ones', [1, 1, 1, 1])], 'modality_gate', { axis: 1 }, 4);
  const gated = (x: string, m: number, label: string): string => g.op('Mul', [x, gates[m] ?? ''], `${label}_gated`);

  const vitals1 = linear(e, 'vitals', net.vitals1, { calibrated: 'vitals', relu: true });
  const vitals = gated(linear(e, vitals1, net.vitals2, { calibrated: 'vitals_1', relu: true }), 0, 'vitals');
  const text = gated(textBranch(e, net), 1, 'text');
  const audioIn = standardised(e, 'audio', net.audioNorm, AUDIO_SIZE, 'audio_norm');
  const audio = gated(linear(e, audioIn, net.audio, { calibrated: 'audio_norm', relu: true }), 2, 'audio');
  const imageIn = standardised(e, 'image', net.imageNorm, IMAGE_SIZE, 'image_norm');
  const image = gated(linear(e, imageIn, net.image, { calibrated: 'image_norm', relu: true }), 3, 'image');
  const fusionIn = g.op('Concat', [vitals, text, audio, image], 'fusion_input', { axis: 1 });

  const fusion = linear(e, fusionIn, net.fusion, { calibrated: 'fusion_input', relu: true, lora: 'fusion', output: 'fusion_features' });
  linear(e, fusion, net.triage, { calibrated: 'fusion', relu: false, output: 'triage_logits' });
  const hidden = linear(e, fusion, net.conditionHidden, { calibrated: 'fusion', relu: true, lora: 'condition_hidden' });
  linear(e, hidden, net.conditionOut, { calibrated: 'condition_hidden', relu: false, output: 'condition_logits' });
  const confidence = linear(e, fusion, net.confidence, { calibrated: 'fusion', relu: false });
  g.node('Sigmoid', [confidence], 'confidence', {}, ['confidence']);

  return g.encode({
    producerVersion: meta.version,
    docString: 'HEMA3N-core reference model trained on synthetic data, not for clinical use.',
    metadata: { ...meta.metadata, precision: plan ? 'int8-qdq' : 'float32' },
  });
}

/** Runs an exported model in onnxruntime-node with the contract's feeds (LoRA defaults to zero). */
import * as ort from 'onnxruntime-node';
import type { ModelInputs } from './model-inputs.js';
import { LORA_RANK, LORA_SCALE_INPUT, LORA_TARGETS, loraInputNames } from './export-onnx.js';

export interface LoraWeights {
  /** Per layer: A [in, rank] and B [rank, out], row-major float32. */
  readonly layers: Partial<Record<string, { readonly A: Float32Array; readonly B: Float32Array }>>;
  readonly scale: number;
}

export interface ModelOutputs {
  readonly triageLogits: Float32Array;
  readonly conditionLogits: Float32Array;
  readonly confidence: Float32Array;
  readonly fusionFeatures: Float32Array;
}

export const openSession = (model: Uint8Array, threads = 1): Promise<ort.InferenceSession> =>
  ort.InferenceSession.create(model, { intraOpNumThreads: threads, interOpNumThreads: 1, executionProviders: ['cpu'] });

const int64 = (values: Int32Array): BigInt64Array => BigInt64Array.from(values, (v) => BigInt(v));

export function feeds(inputs: ModelInputs, lora: LoraWeights | null = null): Record<string, ort.Tensor> {
  const b = inputs.batch;
  const out: Record<string, ort.Tensor> = {
    vitals: new ort.Tensor('float32', inputs.vitals, [b, inputs.vitals.length / b]),
    input_ids: new ort.Tensor('int64', int64(inputs.inputIds), [b, inputs.seqLength]),
    attention_mask: new ort.Tensor('int64', int64(inputs.attentionMask), [b, inputs.seqLength]),
    audio: new ort.Tensor('float32', inputs.audio, [b, inputs.audio.length / b]),
    image: new ort.Tensor('float32', inputs.image, [b, inputs.image.length / b]),
    modality_mask: new ort.Tensor('float32', inputs.modalityMask, [b, inputs.modalityMask.length / b]),
    [LORA_SCALE_INPUT]: new ort.Tensor('float32', Float32Array.of(lora?.scale ?? 0), [1]),
  };
  for (const target of LORA_TARGETS) {
    const names = loraInputNames(target.layer);
    const weights = lora?.layers[target.layer];
    out[names.A] = new ort.Tensor('float32', weights?.A ?? new Float32Array(target.inputs * LORA_RANK), [target.inputs, LORA_RANK]);
    out[names.B] = new ort.Tensor('float32', weights?.B ?? new Float32Array(LORA_RANK * target.outputs), [LORA_RANK, target.outputs]);
  }
  return out;
}

export async function runModel(session: ort.InferenceSession, inputs: ModelInputs, lora: LoraWeights | null = null): Promise<ModelOutputs> {
  const result = await session.run(feeds(inputs, lora));
  const data = (name: string): Float32Array => {
    const tensor = result[name];
    if (!tensor) throw new Error(`model did not return ${name}`);
    return tensor.data as Float32Array;
  };
  return {
    triageLogits: data('triage_logits'),
    conditionLogits: data('condition_logits'),
    confidence: data('confidence'),
    fusionFeatures: data('fusion_features'),
  };
}

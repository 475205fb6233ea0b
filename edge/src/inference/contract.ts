import type { FieldIssue } from '../errors.js';
import type { ModelManifest } from './manifest.js';
import { AUDIO_POOLING, IMAGE_POOLING, MODALITIES } from './media-features.js';

/** A graph input or output as onnxruntime reports it. */
export interface GraphTensor {
  readonly name: string;
  readonly dtype: string | null;
  readonly shape: readonly (number | string)[] | null;
}

type Dims = readonly (number | string)[];
const BATCH = 'batch';
const sameShape = (a: Dims | null | undefined, b: Dims): boolean => a !== null && a !== undefined && a.length === b.length && a.every((d, i) => d === b[i]);
const spell = (shape: Dims | null | undefined): string => (shape ? `[${shape.join(', ')}]` : 'no tensor');

/** What the runtime will feed for every input, derived from the feature sections of the manifest. */
function expectedInputs(m: ModelManifest): Map<string, { dtype: string; shape: Dims }> {
  const f = m.features;
  const expected = new Map<string, { dtype: string; shape: Dims }>([
    [f.vitals.input, { dtype: 'float32', shape: [BATCH, f.vitals.size] }],
    [f.text.inputs[0], { dtype: 'int64', shape: [BATCH, f.text.maxLength] }],
    [f.text.inputs[1], { dtype: 'int64', shape: [BATCH, f.text.maxLength] }],
    [f.audio.input, { dtype: 'float32', shape: [BATCH, f.audio.size] }],
    [f.image.input, { dtype: 'float32', shape: [BATCH, f.image.size] }],
    [f.modalityMask.input, { dtype: 'float32', shape: [BATCH, f.modalityMask.columns.length] }],
    [m.lora.scaleInput, { dtype: 'float32', shape: [1] }],
  ]);
  for (const t of m.lora.targets) {
    expected.set(t.inputs.A.name, { dtype: 'float32', shape: [t.in, m.lora.rank] });
    expected.set(t.inputs.B.name, { dtype: 'float32', shape: [m.lora.rank, t.out] });
  }
  return expected;
}

function inputIssues(m: ModelManifest): FieldIssue[] {
  const expected = expectedInputs(m);
  const issues: FieldIssue[] = [];
  m.inputs.forEach((input, i) => {
    const want = expected.get(input.name);
    if (!want) issues.push({ field: `inputs[${i}]`, problem: `${input.name} is not an input the features or lora sections describe` });
    else if (want.dtype !== input.dtype || !sameShape(input.shape, want.shape)) {
      issues.push({ field: `inputs[${i}]`, problem: `${input.name} is ${input.dtype} ${spell(input.shape)}, the feature sections make it ${want.dtype} ${spell(want.shape)}` });
    }
  });
  for (const name of expected.keys()) {
    if (!m.inputs.some((i) => i.name === name)) issues.push({ field: 'inputs', problem: `lacks ${name}, which the feature or lora sections name` });
  }
  return issues;
}

function outputIssues(m: ModelManifest): FieldIssue[] {
  const want: [string, Dims][] = [
    [m.labels.triage.output, [BATCH, m.labels.triage.classes.length]],
    [m.labels.conditions.output, [BATCH, m.labels.conditions.classes.length]],
    [m.labels.confidence.output, [BATCH, 1]],
  ];
  return want.flatMap(([name, shape]) => {
    const output = m.outputs.find((o) => o.name === name);
    if (output?.dtype === 'float32' && sameShape(output.shape, shape)) return [];
    return [{ field: 'outputs', problem: `${name} must be float32 ${spell(shape)} to match labels, is ${output ? `${output.dtype} ${spell(output.shape)}` : 'missing'}` }];
  });
}

function vitalsIssues(m: ModelManifest): FieldIssue[] {
  const { size, features } = m.features.vitals;
  const issues: FieldIssue[] = [];
  if (features.length !== size || features.some((f, i) => f.index !== i)) issues.push({ field: 'features.vitals.features', problem: `must list indices 0..${size - 1} in order` });
  features.forEach((f, i) => {
    if (f.kind !== 'value') return;
    const flag = features[f.presentIndex];
    if (flag?.kind !== 'present' || flag.valueIndex !== f.index) issues.push({ field: `features.vitals.features[${i}].presentIndex`, problem: 'must point at the present flag of this value' });
  });
  return issues;
}

function labelIssues(m: ModelManifest): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (m.labels.triage.classes.some((c, i) => c.index !== i)) issues.push({ field: 'labels.triage.classes', problem: 'indices must be 0..n-1 in order' });
  if (m.labels.conditions.classes.some((c, i) => c.index !== i)) issues.push({ field: 'labels.conditions.classes', problem: 'indices must be 0..n-1 in order' });
  return issues;
}

function loraIssues(m: ModelManifest): FieldIssue[] {
  const names = new Set(m.lora.targets.flatMap((t) => [t.inputs.A.name, t.inputs.B.name]));
  const issues = m.lora.targets.flatMap((t, i) => (t.rank > m.lora.rank ? [{ field: `lora.targets[${i}].rank`, problem: `exceeds lora.rank ${m.lora.rank}` }] : []));
  m.lora.peft.map.forEach((entry, i) => {
    if (!names.has(entry.input)) issues.push({ field: `lora.peft.map[${i}].input`, problem: `${entry.input} is not a LoRA target input` });
  });
  return issues;
}

/** Pooling and modalities are code in this runtime: a manifest that asks for other ones cannot be served. */
function runtimeIssues(m: ModelManifest): FieldIssue[] {
  const { audio, image, modalityMask, text } = m.features;
  const issues: FieldIssue[] = [];
  if (audio.melBands !== AUDIO_POOLING.melBands || audio.size !== AUDIO_POOLING.size) {
    issues.push({ field: 'features.audio', problem: `this runtime pools ${AUDIO_POOLING.melBands} mel bands into ${AUDIO_POOLING.size} values` });
  }
  if (image.grid !== IMAGE_POOLING.grid || image.cellPixels !== IMAGE_POOLING.cellPixels || image.size !== IMAGE_POOLING.size) {
    issues.push({ field: 'features.image', problem: `this runtime pools a ${IMAGE_POOLING.grid}x${IMAGE_POOLING.grid} grid of ${IMAGE_POOLING.cellPixels}-pixel cells into ${IMAGE_POOLING.size} values` });
  }
  if (modalityMask.columns.join() !== MODALITIES.join()) issues.push({ field: 'features.modalityMask.columns', problem: `must be ${MODALITIES.join(', ')}` });
  if (text.maxLength !== m.tokenizer.maxLength) issues.push({ field: 'features.text.maxLength', problem: 'must equal tokenizer.maxLength' });
  return issues;
}

/** The manifest agrees with itself and asks only for what this runtime implements. */
export function manifestIssues(m: ModelManifest, vocabularySize: number): FieldIssue[] {
  const vocab = vocabularySize === m.tokenizer.vocabSize ? [] : [{ field: 'tokenizer.vocabSize', problem: `is ${m.tokenizer.vocabSize}, ${m.tokenizer.vocabFile} holds ${vocabularySize} tokens` }];
  return [...inputIssues(m), ...outputIssues(m), ...vitalsIssues(m), ...labelIssues(m), ...loraIssues(m), ...runtimeIssues(m), ...vocab];
}

/** The ONNX graph has exactly the manifest's inputs (in order) and at least its outputs. */
export function graphIssues(m: ModelManifest, graph: { inputs: readonly GraphTensor[]; outputs: readonly GraphTensor[] }): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const names = graph.inputs.map((g) => g.name);
  if (names.join() !== m.inputs.map((i) => i.name).join()) issues.push({ field: 'inputs', problem: `graph inputs are ${names.join(', ')}` });
  const compare = (declared: ModelManifest['inputs'], actual: readonly GraphTensor[], field: 'inputs' | 'outputs'): void => {
    declared.forEach((d, i) => {
      const g = actual.find((a) => a.name === d.name);
      if (!g) issues.push({ field: `${field}[${i}]`, problem: `the graph has no ${field === 'inputs' ? 'input' : 'output'} ${d.name}` });
      else if (g.dtype !== d.dtype || !sameShape(g.shape, d.shape)) {
        issues.push({ field: `${field}[${i}]`, problem: `${d.name} is ${g.dtype ?? 'not a tensor'} ${spell(g.shape)} in the graph, ${d.dtype} ${spell(d.shape)} in the manifest` });
      }
    });
  };
  compare(m.inputs, graph.inputs, 'inputs');
  compare(m.outputs, graph.outputs, 'outputs');
  return issues;
}

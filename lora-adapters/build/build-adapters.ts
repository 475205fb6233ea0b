/**
 * Builds the nine reference specialty adapters in lora-adapters/<specialty>/, each fine-tuned on
 * synthetic cases (lora-training.ts), evaluated in onnxruntime on held-out cases, bound to the
 * model's sha256 and signed with the DEVELOPMENT fleet key.
 *
 *   node --import tsx lora-adapters/build/build-adapters.ts [--model models/hema3n-core]
 *
 * Deterministic: the same model and seed give the same adapter bytes.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { InferenceSession } from 'onnxruntime-node';
import { DEFAULT_SEED, deriveSeed, encodeCases, openSession, runModel, synthesiseCases, type ModelInputs } from '../../models/build/index.js';
import { BUNDLED_MODEL_DIR, DEV_FLEET_PUBLIC_KEY_FILE, loadModelPackage, parseFleetPublicKey, softmax, type ModelPackage } from '../../edge/src/inference/index.js';
import { readConditionHead, type HeadAdapter } from './condition-head.js';
import { trainHeadAdapter, type AdapterTraining } from './lora-training.js';
import { readSecretKey, writeAdapterPackage } from './package.js';

export const ADAPTER_VERSION = '1.0.0';
export const TRAINING = { cases: 12000, heldOutCases: 3000, rank: 4, alpha: 8, steps: 400, batchSize: 128, learningRate: 0.01 } as const;
const TARGET = 'condition_hidden';

interface Figures {
  readonly specialtyProbability: number;
  readonly specialtyTop1: number;
  readonly overallTop1: number;
}

function figures(logits: Float32Array, labels: Int32Array, conditions: ReadonlySet<number>, width: number): Figures {
  let mass = 0;
  let right = 0;
  let specialtyRight = 0;
  let specialtyCases = 0;
  for (let n = 0; n < labels.length; n++) {
    const p = softmax(logits.subarray(n * width, (n + 1) * width));
    mass += p.reduce((sum, pk, k) => sum + (conditions.has(k) ? pk : 0), 0);
    const top = p.indexOf(Math.max(...p));
    right += top === labels[n] ? 1 : 0;
    if (conditions.has(labels[n]!)) {
      specialtyCases++;
      specialtyRight += top === labels[n] ? 1 : 0;
    }
  }
  const r = (x: number): number => Math.round(x * 10000) / 10000;
  return { specialtyProbability: r(mass / labels.length), specialtyTop1: r(specialtyRight / Math.max(1, specialtyCases)), overallTop1: r(right / labels.length) };
}

/** Graph layout padded to the graph rank, as models/build's runModel takes it. */
function padded(adapter: HeadAdapter, inputs: number, outputs: number, graphRank: number): { A: Float32Array; B: Float32Array } {
  const A = new Float32Array(inputs * graphRank);
  for (let i = 0; i < inputs; i++) A.set(adapter.A.subarray(i * adapter.rank, (i + 1) * adapter.rank), i * graphRank);
  const B = new Float32Array(graphRank * outputs);
  B.set(adapter.B);
  return { A, B };
}

async function conditionLogitsOf(session: InferenceSession, inputs: ModelInputs, pkg: ModelPackage, adapter: HeadAdapter | null): Promise<Float32Array> {
  const target = pkg.manifest.lora.targets.find((t) => t.layer === TARGET)!;
  const lora = adapter ? { scale: adapter.scale, layers: { [TARGET]: padded(adapter, target.in, target.out, pkg.manifest.lora.rank) } } : null;
  return (await runModel(session, inputs, lora)).conditionLogits;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { model: { type: 'string' } } });
  const modelDir = values.model ?? BUNDLED_MODEL_DIR;
  const pkg = await loadModelPackage(modelDir, parseFleetPublicKey(readFileSync(DEV_FLEET_PUBLIC_KEY_FILE, 'utf8')));
  const m = pkg.manifest;
  const session = await openSession(pkg.model);
  const training = synthesiseCases(deriveSeed(DEFAULT_SEED, 'lora-training-cases'), TRAINING.cases);
  const heldOut = synthesiseCases(deriveSeed(DEFAULT_SEED, 'lora-held-out-cases'), TRAINING.heldOutCases);
  const trainingInputs = encodeCases(training, pkg.tokenizer);
  const heldOutInputs = encodeCases(heldOut, pkg.tokenizer);
  const set = { fusion: (await runModel(session, trainingInputs)).fusionFeatures, labels: Int32Array.from(training, (c) => c.condition) };
  const heldOutLabels = Int32Array.from(heldOut, (c) => c.condition);
  const width = m.labels.conditions.classes.length;
  const baseLogits = await conditionLogitsOf(session, heldOutInputs, pkg, null);
  const head = readConditionHead(pkg.model);
  const secretKey = readSecretKey();
  const report: Record<string, unknown>[] = [];
  for (const specialty of m.labels.specialties) {
    const conditions = new Set(m.labels.conditions.classes.filter((c) => c.specialty === specialty).map((c) => c.index));
    const share = set.labels.filter((label) => conditions.has(label)).length / set.labels.length;
    // Balanced: the specialty's cases carry half of the loss, everything else the other half.
    const specialtyWeight = Math.round(((1 - share) / share) * 100) / 100;
    const options: AdapterTraining = { ...TRAINING, conditions, specialtyWeight, seed: deriveSeed(DEFAULT_SEED, `lora-${specialty}`) };
    const adapter = trainHeadAdapter(head, set, options);
    const evaluation = {
      heldOutCases: TRAINING.heldOutCases,
      base: figures(baseLogits, heldOutLabels, conditions, width),
      adapter: figures(await conditionLogitsOf(session, heldOutInputs, pkg, adapter), heldOutLabels, conditions, width),
    };
    const dir = fileURLToPath(new URL(`../${specialty}/`, import.meta.url));
    await writeAdapterPackage(dir, m, {
      name: `hema3n-core-${specialty}`,
      specialty,
      version: ADAPTER_VERSION,
      baseModelSha256: pkg.sha256,
      rank: TRAINING.rank,
      alpha: TRAINING.alpha,
      extra: {
        referenceAdapter: true,
        statement: 'reference adapter trained on synthetic data, not for clinical use',
        baseModel: { id: m.id, version: m.version },
        method: 'LoRA on condition_hidden, base frozen; condition cross-entropy on synthetic cases of all specialties with this specialty weighted up (lora-adapters/build/lora-training.ts)',
        training: { ...TRAINING, specialtyWeight, specialtyConditions: [...conditions].map((k) => m.labels.conditions.classes[k]!.id), seed: options.seed },
        evaluation,
      },
    }, new Map([[TARGET, { A: adapter.A, B: adapter.B, rank: adapter.rank }]]), secretKey);
    report.push({ specialty, ...Object.fromEntries(Object.entries(evaluation.base).map(([k, v]) => [`${k}Base`, v])), ...evaluation.adapter });
  }
  console.table(report);
}

await main();

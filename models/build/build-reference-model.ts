/**
 * Builds the reference HEMA3N-core model package (models/hema3n-core/):
 * synthetic cases -> trained network -> float32 and INT8 QDQ ONNX -> checks in onnxruntime ->
 * manifest.json + vocab.txt. Same seed, same model bytes.
 *
 *   node --import tsx models/build/build-reference-model.ts [--seed=N]
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { agreement, heldOutFigures, maxAbsDifference, predictedCondition, predictedEsi } from './evaluate.js';
import { exportOnnx } from './export-onnx.js';
import { measureLatency } from './latency.js';
import { MODEL_ID, MODEL_VERSION, type PackageFile, REFERENCE_STATEMENT, buildManifest } from './manifest.js';
import { AUDIO_SIZE, IMAGE_SIZE } from './modality-features.js';
import { type ModelInputs, encodeCases } from './model-inputs.js';
import { type Network, createNetwork, denseLayers, featureStandardisation, forward } from './network.js';
import { openSession, runModel } from './onnx-runner.js';
import { createRandom } from './prng.js';
import { calibrateActivations } from './quantize.js';
import { MODALITY_RATES, type SyntheticCase, synthesiseCases } from './synthetic-cases.js';
import { WordPieceTokenizer } from './tokenizer.js';
import { trainNetwork } from './training.js';
import { CASE_COUNTS, DEFAULT_SEED, TRAINING_OPTIONS, datasetSeeds } from './build-config.js';
import { buildClinicalVocabulary, vocabularyText } from './vocab.js';

const PACKAGE_DIR = fileURLToPath(new URL('../hema3n-core/', import.meta.url));

const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

interface Datasets {
  readonly training: SyntheticCase[];
  readonly heldOut: SyntheticCase[];
  readonly heldOutInputs: ModelInputs;
  readonly trainingInputs: ModelInputs;
  readonly calibrationInputs: ModelInputs;
}

function synthesiseDatasets(seed: number, tokenizer: WordPieceTokenizer): Datasets {
  const training = synthesiseCases(datasetSeeds(seed).training, CASE_COUNTS.training);
  const heldOut = synthesiseCases(datasetSeeds(seed).heldOut, CASE_COUNTS.heldOut);
  const calibration = synthesiseCases(datasetSeeds(seed).calibration, CASE_COUNTS.calibration);
  return {
    training, heldOut,
    trainingInputs: encodeCases(training, tokenizer),
    heldOutInputs: encodeCases(heldOut, tokenizer),
    calibrationInputs: encodeCases(calibration, tokenizer),
  };
}

function train(seed: number, tokenizer: WordPieceTokenizer, data: Datasets): { net: Network; finalLoss: number } {
  const inputs = data.trainingInputs;
  const net = createNetwork(createRandom(datasetSeeds(seed).weights), tokenizer.vocab.length, {
    audioNorm: featureStandardisation(inputs.audio, inputs.modalityMask, 2, AUDIO_SIZE),
    imageNorm: featureStandardisation(inputs.image, inputs.modalityMask, 3, IMAGE_SIZE),
  });
  const targets = {
    triage: Int32Array.from(data.training, (c) => c.esi - 1),
    condition: Int32Array.from(data.training, (c) => c.condition),
  };
  const log = trainNetwork(net, inputs, targets, TRAINING_OPTIONS, createRandom(datasetSeeds(seed).batchOrder));
  for (const entry of log) console.log(`  epoch ${entry.epoch}: loss ${entry.loss.toFixed(4)}`);
  return { net, finalLoss: log.at(-1)?.loss ?? NaN };
}

const parameterCount = (net: Network): number =>
  net.embedding.length + denseLayers(net).reduce((n, l) => n + l.weight.length + l.bias.length, 0);

function readSeed(argv: readonly string[]): number {
  const arg = argv.find((a) => a.startsWith('--seed='));
  const seed = arg ? Number(arg.slice('--seed='.length)) : DEFAULT_SEED;
  if (!Number.isInteger(seed) || seed < 0) throw new Error('--seed must be a non-negative integer');
  return seed;
}

async function main(): Promise<void> {
  const started = performance.now();
  const seed = readSeed(process.argv.slice(2));
  const vocab = buildClinicalVocabulary();
  const tokenizer = new WordPieceTokenizer(vocab);
  console.log(`HEMA3N-core reference build, seed ${seed}, vocabulary ${vocab.length} tokens`);

  const data = synthesiseDatasets(seed, tokenizer);
  console.log(`synthesised ${CASE_COUNTS.training} training, ${CASE_COUNTS.heldOut} held-out, ${CASE_COUNTS.calibration} calibration cases`);
  const { net, finalLoss } = train(seed, tokenizer, data);

  const plan = calibrateActivations(net, data.calibrationInputs);
  const exportMeta = { version: MODEL_VERSION, seqLength: tokenizer.maxLength, metadata: { id: MODEL_ID, version: MODEL_VERSION, statement: REFERENCE_STATEMENT } };
  const fp32Model = exportOnnx(net, null, exportMeta);
  const int8Model = exportOnnx(net, plan, exportMeta);

  const fp32 = await runModel(await openSession(fp32Model), data.heldOutInputs);
  const int8Session = await openSession(int8Model);
  const int8 = await runModel(int8Session, data.heldOutInputs);
  const graphDrift = maxAbsDifference(forward(net, data.heldOutInputs).triageLogits, fp32.triageLogits);
  if (graphDrift > 1e-3) throw new Error(`float32 ONNX graph disagrees with the TypeScript network (max |diff| ${graphDrift})`);
  const latency = await measureLatency(int8Session, data.heldOutInputs);

  const int8Figures = heldOutFigures(data.heldOut, int8);
  const fp32Figures = heldOutFigures(data.heldOut, fp32);
  const buildSeconds = Math.round((performance.now() - started) / 100) / 10;
  const report = {
    heldOutCases: CASE_COUNTS.heldOut,
    triageAgreementInt8VsFp32: agreement(predictedEsi(int8), predictedEsi(fp32)),
    conditionAgreementInt8VsFp32: agreement(predictedCondition(int8), predictedCondition(fp32)),
    int8: int8Figures,
    fp32: fp32Figures,
    maxAbsLogitDifferenceTypeScriptVsOnnxFp32: graphDrift,
    modelBytes: int8Model.length,
    fp32ModelBytes: fp32Model.length,
    parameterCount: parameterCount(net),
    latencyMsBatch1: latency,
    buildSeconds,
  };

  const previousSha = existsSync(`${PACKAGE_DIR}model.onnx`) ? sha256(readFileSync(`${PACKAGE_DIR}model.onnx`)) : null;
  const vocabText = vocabularyText(vocab);
  const files: PackageFile[] = [
    { role: 'model', path: 'model.onnx', sha256: sha256(int8Model), bytes: int8Model.length, note: 'INT8 QDQ model to deploy' },
    { role: 'reference-fp32', path: 'model.fp32.onnx', sha256: sha256(fp32Model), bytes: fp32Model.length,
      note: 'float32 twin of model.onnx for quantisation checks; not for deployment' },
    { role: 'vocabulary', path: 'vocab.txt', sha256: sha256(vocabText), bytes: Buffer.byteLength(vocabText), note: 'WordPiece vocabulary, line n = id n' },
  ];
  const manifest = buildManifest({
    modelSha256: sha256(int8Model), files, vocab, activationPlan: plan, calibrationCases: CASE_COUNTS.calibration,
    training: {
      seed,
      data: {
        generator: 'models/build/synthetic-cases.ts: condition presentation patterns, complaint phrase templates, synthetic pooled audio/image signatures',
        labeller: 'models/build/triage-rules.ts: ESI v4 decision points A-D with PALS limits for children, NEWS2 >= 7 forcing ESI 2 from 16 years, capillary glucose; applied to the complete case before missingness',
        cases: CASE_COUNTS,
        modalityRates: MODALITY_RATES,
      },
      optimiser: { name: 'AdamW', ...TRAINING_OPTIONS, schedule: 'cosine decay to 5% of the initial rate' },
      finalLoss: Math.round(finalLoss * 10000) / 10000,
      report,
    },
  });

  mkdirSync(PACKAGE_DIR, { recursive: true });
  writeFileSync(`${PACKAGE_DIR}model.onnx`, int8Model);
  writeFileSync(`${PACKAGE_DIR}model.fp32.onnx`, fp32Model);
  writeFileSync(`${PACKAGE_DIR}vocab.txt`, vocabText);
  writeFileSync(`${PACKAGE_DIR}manifest.json`, `${JSON.stringify(manifest, null, 2)}\n`);
  printReport(report, sha256(int8Model), previousSha);
}

function printReport(report: Record<string, unknown> & { int8: object; fp32: object }, sha: string, previousSha: string | null): void {
  const { int8, fp32, ...rest } = report;
  console.log('\nreport (held-out synthetic cases)');
  for (const [key, value] of Object.entries(rest)) console.log(`  ${key}: ${typeof value === 'object' ? JSON.stringify(value) : value}`);
  console.log('  int8:', JSON.stringify(int8));
  console.log('  fp32:', JSON.stringify(fp32));
  console.log(`  model.onnx sha256: ${sha}`);
  const reproduced = previousSha === null ? 'no previous build to compare' : previousSha === sha ? 'yes (identical to the previous model.onnx)' : 'no (differs from the previous model.onnx)';
  console.log(`  same bytes as previous build: ${reproduced}`);
  console.log(`package written to ${PACKAGE_DIR}`);
}

await main();

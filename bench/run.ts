/**
 * `npm run bench -- <name> [...]`: runs each named benchmark, prints its figures, and writes them
 * to bench/results/<name>.json. With no name, lists the benchmarks.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cpus } from 'node:os';

export interface BenchResult {
  readonly name: string;
  readonly figures: Record<string, unknown>;
  readonly targets: Record<string, { target: string; met: boolean }>;
}

const BENCHES: Record<string, () => Promise<BenchResult>> = {
  store: async () => (await import('./store/store.bench.js')).runStoreBench(),
  ingest: async () => (await import('./ingest/ingest.bench.js')).runIngestBench(),
  media: async () => (await import('./media/media.bench.js')).runMediaBench(),
  sync: async () => (await import('./sync/sync.bench.js')).runSyncBench(),
  inference: async () => (await import('./inference/inference.bench.js')).runInferenceBench(),
};

const names = process.argv.slice(2);
if (names.length === 0) {
  console.log(`benchmarks: ${Object.keys(BENCHES).join(', ')}\nusage: npm run bench -- <name>`);
  process.exit(0);
}
const resultsDir = fileURLToPath(new URL('./results/', import.meta.url));
mkdirSync(resultsDir, { recursive: true });
let allMet = true;
for (const name of names) {
  const bench = BENCHES[name];
  if (!bench) {
    console.error(`unknown benchmark ${name}; known: ${Object.keys(BENCHES).join(', ')}`);
    process.exit(64);
  }
  const result = await bench();
  const record = { ...result, machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version }, at: new Date().toISOString() };
  writeFileSync(`${resultsDir}${name}.json`, `${JSON.stringify(record, null, 2)}\n`);
  console.log(JSON.stringify(record.figures, null, 2));
  for (const [target, { target: wanted, met }] of Object.entries(result.targets)) {
    console.log(`${met ? 'MET ' : 'MISS'} ${target}: ${wanted}`);
    allMet &&= met;
  }
}
process.exitCode = allMet ? 0 : 1;

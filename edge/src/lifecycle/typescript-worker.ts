import { Worker } from 'node:worker_threads';

const BOOT = new URL('./typescript-worker-boot.mjs', import.meta.url);

/**
 * A worker thread running a TypeScript module. The module reads its own settings from
 * `workerData.settings`; `workerData.module` is the boot file's.
 */
export function startTypeScriptWorker(module: URL, settings?: unknown): Worker {
  return new Worker(BOOT, { workerData: { module: module.href, settings } });
}

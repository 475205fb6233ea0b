// Worker entry for startTypeScriptWorker. The daemon runs TypeScript through tsx, whose loader a
// worker thread does not inherit on Node 20: register it here, then load the TypeScript module.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.module);

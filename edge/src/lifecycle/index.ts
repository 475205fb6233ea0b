export { Lifecycle, type Part } from './lifecycle.js';
export { SystemdNotifier } from './systemd.js';
export { startTypeScriptWorker } from './typescript-worker.js';

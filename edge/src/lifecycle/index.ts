export { Lifecycle, type Part } from './lifecycle.js';
export { SystemdNotifier } from './systemd.js';

export { loadConfig, type FrozenConfig, type ConfigSources } from './load.js';
export { ConfigSchema, ENV_BINDINGS, type Config } from './schema.js';

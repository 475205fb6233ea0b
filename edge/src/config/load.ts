import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { deepFreeze, setPath, type DeepReadonly } from '@hema3n/cloud-sync/kit';
import { Hema3nError, type FieldIssue } from '../errors.js';
import { ConfigSchema, ENV_BINDINGS, type Config } from './schema.js';

export type FrozenConfig = DeepReadonly<Config>;

const FIELD_TO_ENV = new Map(Object.entries(ENV_BINDINGS).map(([env, field]) => [field, env]));

export interface ConfigSources {
  env: Readonly<Record<string, string | undefined>>;
  /** Working directory against which a relative stateDir is resolved. */
  cwd: string;
}

/**
 * Parses the configuration once: the JSON file named by HEMA3N_CONFIG (optional), then the
 * environment on top. Every invalid field is reported in one error; the result is deep-frozen.
 */
export function loadConfig({ env, cwd }: ConfigSources): FrozenConfig {
  const raw = env.HEMA3N_CONFIG ? readConfigFile(resolve(cwd, env.HEMA3N_CONFIG)) : {};
  for (const [name, field] of Object.entries(ENV_BINDINGS)) {
    const value = env[name];
    if (value !== undefined && value !== '') setPath(raw, field, value);
  }
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issues: FieldIssue[] = parsed.error.issues.map((issue) => {
      const field = issue.path.join('.') || '(root)';
      const envName = FIELD_TO_ENV.get(field);
      return { field: envName ? `${field} (${envName})` : field, problem: issue.message };
    });
    const list = issues.map((i) => `${i.field}: ${i.problem}`).join('; ');
    throw new Hema3nError('CONFIG_INVALID', `Invalid configuration: ${list}`, { issues });
  }
  const config = parsed.data;
  config.stateDir = resolve(cwd, config.stateDir);
  // Paths are relative to where the daemon was started; parts get absolute ones.
  if (config.inference.modelDir) config.inference.modelDir = resolve(cwd, config.inference.modelDir);
  const bundled = config.inference.bundledAdaptersDir;
  if (bundled && bundled !== 'none') config.inference.bundledAdaptersDir = resolve(cwd, bundled);
  return deepFreeze(config);
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new Hema3nError('CONFIG_FILE_UNREADABLE', `Cannot read config file ${path}`, { cause });
  }
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
    return value as Record<string, unknown>;
  } catch (cause) {
    throw new Hema3nError('CONFIG_INVALID', `Config file ${path} is not a JSON object`, {
      cause,
      issues: [{ field: '(file)', problem: 'must be a JSON object' }],
    });
  }
}

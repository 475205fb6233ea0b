import { resolve } from 'node:path';
import { z } from 'zod';
import { CloudError, type CloudIssue } from './errors.js';
import { deepFreeze, setPath, type DeepReadonly } from './kit/index.js';
import { DEFAULT_MAX_ENVELOPE_BYTES } from './wire/index.js';

const port = z.coerce.number().int().min(0).max(65535);
const secret = z.string().min(1);

const FhirServerSchema = z
  .strictObject({
    url: z.url({ protocol: /^https?$/ }).optional(),
    token: secret.optional(),
    clientId: secret.optional(),
    clientSecret: secret.optional(),
    tokenUrl: z.url({ protocol: /^https?$/ }).optional(),
    scope: z.string().min(1).optional(),
  })
  .superRefine((fhir, ctx) => {
    const client = fhir.clientId !== undefined || fhir.clientSecret !== undefined || fhir.tokenUrl !== undefined;
    if ((fhir.token !== undefined || client) && fhir.url === undefined) ctx.addIssue({ code: 'custom', path: ['url'], message: 'is needed when FHIR credentials are set' });
    if (fhir.token !== undefined && client) ctx.addIssue({ code: 'custom', path: ['token'], message: 'use either a bearer token or client credentials, not both' });
    if (client) {
      for (const field of ['clientId', 'clientSecret', 'tokenUrl'] as const) {
        if (fhir[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: 'is needed for client credentials' });
      }
    }
  });

/**
 * The whole configuration, from the environment only (the service has few settings; a file
 * would only add a second place to look). Unknown HEMA3N_CLOUD_* names are not checked, but
 * every bound variable is, and all bad ones are reported together.
 */
export const CloudConfigSchema = z.strictObject({
  stateDir: z.string().min(1).default('.hema3n-cloud-state'),
  host: z.string().min(1).default('127.0.0.1'),
  port: port.default(8090),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  maxEnvelopeBytes: z.coerce.number().int().min(1024).max(DEFAULT_MAX_ENVELOPE_BYTES).default(DEFAULT_MAX_ENVELOPE_BYTES),
  /** When set, /fhir/R4 asks for `Authorization: Bearer <this>`. */
  fhirApiToken: z.string().min(16, 'must be at least 16 characters').optional(),
  fhir: FhirServerSchema.prefault({}),
});

export type CloudConfig = z.infer<typeof CloudConfigSchema>;
export type FrozenCloudConfig = DeepReadonly<CloudConfig>;

/** Environment variable → field path. */
export const CLOUD_ENV_BINDINGS: Readonly<Record<string, string>> = {
  HEMA3N_CLOUD_STATE_DIR: 'stateDir',
  HEMA3N_CLOUD_HOST: 'host',
  HEMA3N_CLOUD_PORT: 'port',
  HEMA3N_CLOUD_LOG_LEVEL: 'logLevel',
  HEMA3N_CLOUD_MAX_ENVELOPE_BYTES: 'maxEnvelopeBytes',
  HEMA3N_CLOUD_FHIR_API_TOKEN: 'fhirApiToken',
  HEMA3N_FHIR_URL: 'fhir.url',
  HEMA3N_FHIR_TOKEN: 'fhir.token',
  HEMA3N_FHIR_CLIENT_ID: 'fhir.clientId',
  HEMA3N_FHIR_CLIENT_SECRET: 'fhir.clientSecret',
  HEMA3N_FHIR_TOKEN_URL: 'fhir.tokenUrl',
  HEMA3N_FHIR_SCOPE: 'fhir.scope',
};

const FIELD_TO_ENV = new Map(Object.entries(CLOUD_ENV_BINDINGS).map(([env, field]) => [field, env]));

export interface CloudConfigSources {
  env: Readonly<Record<string, string | undefined>>;
  /** Against which a relative state directory is resolved. */
  cwd: string;
}

/** Parses once; every invalid field in one CONFIG_INVALID error (values never echoed); the result is deep-frozen. */
export function loadCloudConfig({ env, cwd }: CloudConfigSources): FrozenCloudConfig {
  const raw: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(CLOUD_ENV_BINDINGS)) {
    const value = env[name];
    if (value !== undefined && value !== '') setPath(raw, field, value);
  }
  const parsed = CloudConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issues: CloudIssue[] = parsed.error.issues.map((issue) => {
      const field = issue.path.join('.') || '(root)';
      const envName = FIELD_TO_ENV.get(field);
      return { field: envName ? `${field} (${envName})` : field, problem: issue.message };
    });
    throw new CloudError('CONFIG_INVALID', `Invalid configuration: ${issues.map((i) => `${i.field}: ${i.problem}`).join('; ')}`, { issues });
  }
  const config = parsed.data;
  config.stateDir = resolve(cwd, config.stateDir);
  return deepFreeze(config);
}

import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
const hex64 = z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be exactly 64 hex characters');
const base64Key = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be a 32-byte key in URL-safe base64 as `hema3n-cloud identity` prints it');
const bool = z.union([z.boolean(), z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')]);

/**
 * The whole configuration. Environment variables override the optional JSON file; see
 * ENV_BINDINGS for which variable sets which field. Unknown keys in the file are errors,
 * so a typo never silently falls back to a default.
 */
export const ConfigSchema = z.strictObject({
  mode: z.enum(['development', 'production']).default('development'),
  stateDir: z.string().min(1).default('.hema3n-state'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  db: z
    .strictObject({
      keyProvider: z.enum(['auto', 'env', 'file', 'tpm2']).default('auto'),
      key: hex64.optional(),
      keyFile: z.string().min(1).optional(),
      tpm2SealedKey: z.string().min(1).optional(),
      groupCommitMaxRows: z.coerce.number().int().min(1).max(100_000).default(2000),
      groupCommitMaxDelayMs: z.coerce.number().min(0).max(1000).default(0),
    })
    .prefault({}),
  http: z
    .strictObject({
      host: z.string().min(1).default('127.0.0.1'),
      port: port.default(8080),
      /** The appliance certificate: with both set the API and tablet app are served over HTTPS only. */
      tlsCertFile: z.string().min(1).optional(),
      tlsKeyFile: z.string().min(1).optional(),
    })
    .superRefine((http, ctx) => {
      if (Boolean(http.tlsCertFile) === Boolean(http.tlsKeyFile)) return;
      const missing = http.tlsCertFile ? 'tlsKeyFile' : 'tlsCertFile';
      ctx.addIssue({ code: 'custom', path: [missing], message: 'is required when the other of http.tlsCertFile / http.tlsKeyFile is set' });
    })
    .prefault({}),
  mqtt: z
    .strictObject({
      host: z.string().min(1).default('127.0.0.1'),
      port: port.default(1883),
      maxPayloadBytes: z.coerce.number().int().min(256).max(16 * 1024 * 1024).default(256 * 1024),
      tlsPort: port.optional(),
      tlsCertFile: z.string().min(1).optional(),
      tlsKeyFile: z.string().min(1).optional(),
    })
    .superRefine((mqtt, ctx) => {
      if (mqtt.tlsPort === undefined) return;
      for (const field of ['tlsCertFile', 'tlsKeyFile'] as const) {
        if (!mqtt[field]) ctx.addIssue({ code: 'custom', path: [field], message: 'is required when mqtt.tlsPort is set' });
      }
    })
    .prefault({}),
  /** Limits for photos and recordings from the tablet (HTTP) and from devices (MQTT); docs/MEDIA.md. */
  media: z
    .strictObject({
      maxImageBytes: z.coerce.number().int().min(1024).max(256 * 1024 * 1024).default(25 * 1024 * 1024),
      maxAudioBytes: z.coerce.number().int().min(1024).max(256 * 1024 * 1024).default(64 * 1024 * 1024),
      maxAudioSeconds: z.coerce.number().min(1).max(3600).default(300),
      maxPixels: z.coerce.number().int().min(256).max(200_000_000).default(50_000_000),
      /** A device transfer with no manifest or chunk for this long is dropped, with a reply to the device. */
      transferTimeoutMs: z.coerce.number().int().min(100).max(3_600_000).default(120_000),
    })
    .prefault({}),
  inference: z
    .strictObject({
      modelDir: z.string().min(1).optional(),
      bundledAdaptersDir: z.string().min(1).optional(),
      fleetPublicKey: base64Key.optional(),
      /** Automatic model assessments: at most one per case in this interval (a change of the rules asks at once); 0 = off. */
      assessIntervalMs: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
    })
    .prefault({}),
  sync: z
    .strictObject({
      cloudUrl: z.url({ protocol: /^https?$/ }).optional(),
      cloudBoxKey: base64Key.optional(),
      cloudSignKey: base64Key.optional(),
      enabled: bool.default(true),
      intervalMs: z.coerce.number().int().min(100).max(600_000).default(2000),
      timeoutMs: z.coerce.number().int().min(500).max(600_000).default(15_000),
      outboxAlarmRows: z.coerce.number().int().min(10).default(20_000),
      /** Photos and recordings travel in media-chunk envelopes of this size: small enough to get through a weak link, large enough to keep the per-envelope cost low. */
      mediaChunkBytes: z.coerce.number().int().min(4096).max(8 * 1024 * 1024).default(256 * 1024),
    })
    .prefault({}),
});

export type Config = z.infer<typeof ConfigSchema>;

/** Environment variable → field path. The documented surface of INTERFACES.md plus our own. */
export const ENV_BINDINGS: Readonly<Record<string, string>> = {
  HEMA3N_MODE: 'mode',
  HEMA3N_STATE_DIR: 'stateDir',
  HEMA3N_LOG_LEVEL: 'logLevel',
  HEMA3N_DB_KEY_PROVIDER: 'db.keyProvider',
  HEMA3N_DB_KEY: 'db.key',
  HEMA3N_DB_KEY_FILE: 'db.keyFile',
  HEMA3N_TPM2_SEALED_KEY: 'db.tpm2SealedKey',
  HEMA3N_GROUP_COMMIT_MAX_ROWS: 'db.groupCommitMaxRows',
  HEMA3N_GROUP_COMMIT_MAX_DELAY_MS: 'db.groupCommitMaxDelayMs',
  HEMA3N_HTTP_HOST: 'http.host',
  HEMA3N_HTTP_PORT: 'http.port',
  HEMA3N_HTTP_TLS_CERT_FILE: 'http.tlsCertFile',
  HEMA3N_HTTP_TLS_KEY_FILE: 'http.tlsKeyFile',
  HEMA3N_MQTT_HOST: 'mqtt.host',
  HEMA3N_MQTT_PORT: 'mqtt.port',
  HEMA3N_MQTT_MAX_PAYLOAD_BYTES: 'mqtt.maxPayloadBytes',
  HEMA3N_MQTT_TLS_PORT: 'mqtt.tlsPort',
  HEMA3N_MQTT_TLS_CERT_FILE: 'mqtt.tlsCertFile',
  HEMA3N_MQTT_TLS_KEY_FILE: 'mqtt.tlsKeyFile',
  HEMA3N_MEDIA_MAX_IMAGE_BYTES: 'media.maxImageBytes',
  HEMA3N_MEDIA_MAX_AUDIO_BYTES: 'media.maxAudioBytes',
  HEMA3N_MEDIA_MAX_AUDIO_SECONDS: 'media.maxAudioSeconds',
  HEMA3N_MEDIA_MAX_PIXELS: 'media.maxPixels',
  HEMA3N_MEDIA_TRANSFER_TIMEOUT_MS: 'media.transferTimeoutMs',
  HEMA3N_MODEL_DIR: 'inference.modelDir',
  HEMA3N_BUNDLED_ADAPTERS_DIR: 'inference.bundledAdaptersDir',
  HEMA3N_FLEET_PUBLIC_KEY: 'inference.fleetPublicKey',
  HEMA3N_ASSESS_INTERVAL_MS: 'inference.assessIntervalMs',
  HEMA3N_CLOUD_URL: 'sync.cloudUrl',
  HEMA3N_CLOUD_BOX_KEY: 'sync.cloudBoxKey',
  HEMA3N_CLOUD_SIGN_KEY: 'sync.cloudSignKey',
  HEMA3N_SYNC_ENABLED: 'sync.enabled',
  HEMA3N_SYNC_INTERVAL_MS: 'sync.intervalMs',
  HEMA3N_SYNC_TIMEOUT_MS: 'sync.timeoutMs',
  HEMA3N_SYNC_OUTBOX_ALARM_ROWS: 'sync.outboxAlarmRows',
  HEMA3N_SYNC_MEDIA_CHUNK_BYTES: 'sync.mediaChunkBytes',
};

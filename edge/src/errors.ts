/**
 * The one catalogue of error kinds. Every boundary maps these to its own form:
 * HTTP problem JSON (status), CLI exit code + {"error": {code, message}}, MQTT replies topic.
 * Codes are stable: technicians' scripts and acceptance checks match on them.
 * docs/ERRORS.md documents every code; a test keeps the two in step.
 */
export const ERROR_CATALOGUE = {
  CONFIG_INVALID: { status: 500, exit: 78, fix: 'Correct the listed settings (see docs/CONFIGURATION.md) and run `hema3n config check`.' },
  CONFIG_FILE_UNREADABLE: { status: 500, exit: 78, fix: 'Check HEMA3N_CONFIG points at a readable JSON file.' },
  USAGE: { status: 400, exit: 64, fix: 'Run `hema3n help` for the commands and their arguments.' },
  INPUT_INVALID: { status: 400, exit: 65, fix: 'Correct the named fields and send again.' },
  NOT_FOUND: { status: 404, exit: 66, fix: 'Check the id; `hema3n cases list` shows the cases.' },
  CONFLICT: { status: 409, exit: 75, fix: 'Reload and retry with the current state.' },
  UNAUTHENTICATED: { status: 401, exit: 77, fix: 'Log in again with your crew id and PIN.' },
  PIN_LOCKED: { status: 429, exit: 77, fix: 'Too many wrong PINs for this crew member: wait the time in Retry-After (at most 5 minutes), or log in as another crew member.' },
  FORBIDDEN: { status: 403, exit: 77, fix: 'Use an account with the required role.' },
  BREAK_GLASS_REQUIRED: { status: 403, exit: 77, fix: 'The case is not in your care: open it with a stated reason (break-glass, audited), or ask its crew.' },
  OVERRIDE_REQUIRED: { status: 409, exit: 65, fix: 'The medication check raised warnings: review them and resend with override.reason to record it anyway.' },
  DB_KEY_MISSING: { status: 500, exit: 74, fix: 'Set HEMA3N_DB_KEY (64 hex chars), HEMA3N_DB_KEY_FILE, or run `hema3n provision`.' },
  DB_KEY_WRONG: { status: 500, exit: 74, fix: 'The database exists but this key does not open it. Supply the key it was created with; nothing was changed.' },
  DB_KEY_FILE_INSECURE: { status: 500, exit: 74, fix: 'chmod 600 the key file (it must not be readable by group or others).' },
  DB_KEY_FILE_INVALID: { status: 500, exit: 74, fix: 'The key file must hold exactly 64 hex characters.' },
  DB_KEY_PROVIDER_FAILED: { status: 500, exit: 74, fix: 'Check the key provider (for tpm2: tpm2-tools installed and the sealed key present; `hema3n doctor`).' },
  DB_OPEN_FAILED: { status: 500, exit: 74, fix: 'Check the state directory exists and is writable by the service user.' },
  DB_CORRUPT: { status: 500, exit: 74, fix: 'Restore the latest `hema3n db export` backup; keep the damaged file for analysis.' },
  DB_SCHEMA_TOO_NEW: { status: 500, exit: 74, fix: 'This database was written by a newer release; install that release or newer.' },
  AUDIT_CHAIN_BROKEN: { status: 500, exit: 70, fix: 'The audit trail was altered outside the appliance; preserve the database and report it.' },
  IDENTITY_MISSING: { status: 500, exit: 74, fix: 'Run `hema3n provision` to create the appliance identity.' },
  LISTEN_FAILED: { status: 500, exit: 69, fix: 'Another process holds the port; stop it or set HEMA3N_HTTP_PORT / HEMA3N_MQTT_PORT.' },
  NOT_READY: { status: 503, exit: 69, fix: 'The appliance is starting; retry shortly.' },
  PROVISION_WOULD_REPLACE: { status: 409, exit: 75, fix: 'Provisioning keeps what exists; add --rotate-identity, --rekey, --replace-fleet-key or --renew-cert only when replacing it is intended (docs/OPERATIONS.md).' },
  CERTIFICATE_FAILED: { status: 500, exit: 69, fix: 'Install openssl (`apt-get install openssl`), check the state directory is writable, then run `hema3n provision` again.' },
  ENV_FILE_UNWRITABLE: { status: 500, exit: 73, fix: 'Run provisioning as root to write /etc/hema3n/hema3n.env, or pass --env-path <path>.' },
  MODEL_INSTALL_FAILED: { status: 500, exit: 74, fix: 'The running model is untouched. Check free space (`hema3n doctor`) and that the package is readable, then install again.' },
  MODEL_ROLLBACK_UNAVAILABLE: { status: 409, exit: 75, fix: 'No previous model version is kept; install the wanted package with `hema3n models install <dir>`.' },
  DOCTOR_FAILED: { status: 503, exit: 69, fix: 'Apply the fix named by each failed check, then run `hema3n doctor` again.' },
  MODEL_PACKAGE_INVALID: { status: 500, exit: 78, fix: 'The model directory lacks a readable manifest.json; check HEMA3N_MODEL_DIR points at a model package.' },
  MODEL_SIGNATURE_INVALID: { status: 500, exit: 78, fix: 'The model package is unsigned, altered after signing, or signed by another fleet key; install a package signed with the key in HEMA3N_FLEET_PUBLIC_KEY.' },
  MODEL_INTEGRITY_FAILED: { status: 500, exit: 78, fix: 'A package file differs from the sha256 in its manifest; copy the package again from the release.' },
  MODEL_CONTRACT_MISMATCH: { status: 500, exit: 78, fix: 'The manifest does not describe the ONNX graph (or needs features this runtime lacks); rebuild or re-export the package (see docs/INFERENCE.md).' },
  ADAPTER_NOT_FOUND: { status: 404, exit: 66, fix: 'Use one of the installed specialties (`hema3n adapters list`) or install the adapter first.' },
  ADAPTER_SIGNATURE_INVALID: { status: 422, exit: 65, fix: 'The adapter is unsigned, altered after signing, or signed by another fleet key; get a package signed with the fleet key.' },
  ADAPTER_BASE_MISMATCH: { status: 422, exit: 65, fix: 'The adapter was trained for another base model; install the adapter release built for the running model (its sha256 is in `hema3n adapters list`).' },
  ADAPTER_SHAPE_INVALID: { status: 422, exit: 65, fix: 'The adapter tensors do not fit the model LoRA targets (layers, [in, r] / [r, out], rank); rebuild the adapter for this model.' },
  ADAPTER_CORRUPT: { status: 422, exit: 65, fix: 'The adapter files are unreadable or differ from their sha256; copy the package again.' },
  INTERNAL: { status: 500, exit: 70, fix: 'Unexpected failure; the log has details (without PHI).' },
  // Media (docs/MEDIA.md): refused photos, recordings and chunked transfers.
  MEDIA_EMPTY: { status: 400, exit: 65, fix: 'The file is empty; capture or record again and resend.' },
  MEDIA_TOO_LARGE: { status: 413, exit: 65, fix: 'Send a smaller file (see docs/MEDIA.md for the size limits).' },
  MEDIA_TRUNCATED: { status: 422, exit: 65, fix: 'The file ends early; resend the complete file.' },
  MEDIA_TYPE_MISMATCH: { status: 400, exit: 65, fix: 'Declare the content type that matches the file (the message names what the content is).' },
  MEDIA_UNSUPPORTED_TYPE: { status: 400, exit: 65, fix: 'Send JPEG, PNG, WebP or HEIF/AVIF images and WAV audio.' },
  MEDIA_PIXEL_LIMIT: { status: 413, exit: 65, fix: 'The image has too many pixels; send a smaller resolution.' },
  MEDIA_DIMENSIONS_INVALID: { status: 422, exit: 65, fix: 'The image is too small or too elongated to be a photo; capture it again.' },
  MEDIA_MALFORMED: { status: 422, exit: 65, fix: 'The file cannot be decoded; capture or record again and resend.' },
  AUDIO_TOO_LONG: { status: 413, exit: 65, fix: 'Split the recording into shorter parts (see docs/MEDIA.md for the length limit).' },
  AUDIO_HEADER_INVALID: { status: 422, exit: 65, fix: 'The WAV header contradicts the file (length or format fields); record again.' },
  AUDIO_FORMAT_UNSUPPORTED: { status: 400, exit: 65, fix: 'Send PCM 8/16/24/32-bit or float 32-bit WAV, mono or stereo, at a common sample rate.' },
  AUDIO_SILENT: { status: 422, exit: 65, fix: 'The recording holds only silence; check the microphone and record again.' },
  MEDIA_MANIFEST_INVALID: { status: 400, exit: 65, fix: 'Correct the named manifest fields and start the transfer again.' },
  MEDIA_CHUNK_INVALID: { status: 400, exit: 65, fix: 'Send chunks with an index inside the manifest and the same bytes on every resend.' },
  MEDIA_TRANSFER_UNKNOWN: { status: 404, exit: 65, fix: 'Send the manifest first (or again after a restart), then the chunks.' },
  MEDIA_TRANSFER_BUSY: { status: 503, exit: 69, fix: 'Too many transfers in flight; retry after the current ones finish.' },
  MEDIA_REASSEMBLY_TIMEOUT: { status: 408, exit: 65, fix: 'The transfer stalled and was dropped; send the manifest and all chunks again.' },
  MEDIA_CHECKSUM_MISMATCH: { status: 422, exit: 65, fix: 'The reassembled bytes differ from the manifest (size or sha256); send the file again.' },
  MEDIA_NO_ACTIVE_CASE: { status: 409, exit: 75, fix: 'Open a case on the tablet (or `hema3n cases create`) before a device sends media, then resend the manifest.' },
} as const satisfies Record<string, { status: number; exit: number; fix: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** Per-field problem, as listed in a CONFIG_INVALID or INPUT_INVALID error. */
export interface FieldIssue {
  field: string;
  problem: string;
}

export class Hema3nError extends Error {
  readonly code: ErrorCode;
  readonly issues: readonly FieldIssue[];

  constructor(code: ErrorCode, message: string, options: { issues?: readonly FieldIssue[]; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'Hema3nError';
    this.code = code;
    this.issues = options.issues ?? [];
  }

  get status(): number {
    return ERROR_CATALOGUE[this.code].status;
  }

  get exitCode(): number {
    return ERROR_CATALOGUE[this.code].exit;
  }

  get fix(): string {
    return ERROR_CATALOGUE[this.code].fix;
  }
}

export function isHema3nError(value: unknown): value is Hema3nError {
  return value instanceof Hema3nError;
}

/** Anything thrown that is not ours becomes INTERNAL; its message is not passed on (it may hold PHI). */
export function toHema3nError(value: unknown): Hema3nError {
  if (isHema3nError(value)) return value;
  return new Hema3nError('INTERNAL', 'Internal error', { cause: value });
}

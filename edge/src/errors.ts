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
  FORBIDDEN: { status: 403, exit: 77, fix: 'Use an account with the required role.' },
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
  INTERNAL: { status: 500, exit: 70, fix: 'Unexpected failure; the log has details (without PHI).' },
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

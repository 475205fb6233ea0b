import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Keys whose values are PHI or secrets wherever they appear in a log object. Logging goes by
 * ids, never by content; this list is the second line of defence when someone forgets.
 */
export const REDACTED_KEYS = [
  'name', 'givenName', 'familyName', 'birthDate', 'dateOfBirth', 'address', 'phone', 'mrn',
  'complaint', 'chiefComplaint', 'note', 'notes', 'text', 'allergies', 'homeMedications',
  'patient', 'demographics', 'pin', 'secret', 'password', 'key', 'dbKey', 'token', 'authorization',
  'body', 'payload', 'measurements', 'value', 'values', 'incidentNumber', 'incident',
] as const;

const REDACT_PATHS = REDACTED_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

export type { Logger };

export function createLogger(options: { level: string; destination?: DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      // Error messages from libraries can echo input (e.g. a SQL constraint naming a value): log code and type only.
      serializers: { err: serializeError },
      // `service`, not pino's `name`: `name` is a redacted PHI key.
      base: { service: 'hema3n-edge', pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination ?? pino.destination({ fd: 2, sync: false }),
  );
}

function serializeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const code = (error as { code?: unknown }).code;
  const own = error.name === 'Hema3nError' ? { message: error.message } : {};
  return { type: error.name, code, ...own, stack: redactStack(error.stack) };
}

/** Keeps the frames, drops the first line (the message) of a foreign error. */
function redactStack(stack: string | undefined): string | undefined {
  return stack?.split('\n').slice(1).join('\n');
}

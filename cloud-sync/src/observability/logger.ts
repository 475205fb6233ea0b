import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Keys whose values are PHI or secrets wherever they appear in a log object. The service logs
 * ids, codes and route templates, never bodies; this list is the second line of defence.
 */
export const REDACTED_KEYS = [
  'name', 'given', 'family', 'birthDate', 'address', 'telecom', 'text', 'note', 'valueString',
  'value', 'values', 'latestVitals', 'vitals', 'payload', 'body', 'bundle', 'resource', 'data',
  'secret', 'secretKey', 'signSecretKey', 'boxSecretKey', 'token', 'clientSecret', 'authorization', 'password',
] as const;

const REDACT_PATHS = REDACTED_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

export type { Logger };

export function createLogger(options: { level: string; destination?: DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      // A library's error message can echo input (a SQL constraint naming a value): code and type only.
      serializers: { err: serializeError },
      base: { service: 'hema3n-cloud', pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination ?? pino.destination({ fd: 2, sync: true }),
  );
}

function serializeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const code = (error as { code?: unknown }).code;
  const own = error.name === 'CloudError' || error.name === 'WireError' ? { message: error.message } : {};
  return { type: error.name, code, ...own, stack: error.stack?.split('\n').slice(1).join('\n') };
}

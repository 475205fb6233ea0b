import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger, DestinationStream };

export interface ServiceLoggerOptions {
  /** In every line as `service` (not pino's `name`, which is a redacted PHI key). */
  readonly service: string;
  readonly level: string;
  /** Keys whose values are PHI or secrets wherever they appear, up to three levels deep. */
  readonly redactedKeys: readonly string[];
  /** Errors whose message is the product's own wording, safe to log; any other error logs code and type only. */
  readonly ownErrors: readonly string[];
  /** stderr by default; sync for a short-lived process that must not lose its last lines. */
  readonly destination?: DestinationStream | undefined;
  readonly sync?: boolean;
}

/** JSON lines with ISO times, PHI keys censored, and library error messages (which can echo input) dropped. */
export function createServiceLogger(options: ServiceLoggerOptions): Logger {
  const ownErrors = new Set(options.ownErrors);
  return pino(
    {
      level: options.level,
      redact: { paths: options.redactedKeys.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]), censor: '[redacted]' },
      serializers: { err: (error: unknown) => serializeError(error, ownErrors) },
      base: { service: options.service, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination ?? pino.destination({ fd: 2, sync: options.sync ?? false }),
  );
}

function serializeError(error: unknown, ownErrors: ReadonlySet<string>): unknown {
  if (!(error instanceof Error)) return { type: typeof error };
  const code = (error as { code?: unknown }).code;
  const own = ownErrors.has(error.name) ? { message: error.message } : {};
  // The stack's first line is the message; the frames are safe.
  return { type: error.name, code, ...own, stack: error.stack?.split('\n').slice(1).join('\n') };
}

import { createServiceLogger, type DestinationStream, type Logger } from '../kit/index.js';

/**
 * Keys whose values are PHI or secrets wherever they appear in a log object. The service logs
 * ids, codes and route templates, never bodies; this list is the second line of defence.
 */
export const REDACTED_KEYS = [
  'name', 'given', 'family', 'birthDate', 'address', 'telecom', 'text', 'note', 'valueString',
  'value', 'values', 'latestVitals', 'vitals', 'payload', 'body', 'bundle', 'resource', 'data',
  'secret', 'secretKey', 'signSecretKey', 'boxSecretKey', 'token', 'clientSecret', 'authorization', 'password',
] as const;

export type { Logger };

export function createLogger(options: { level: string; destination?: DestinationStream }): Logger {
  // sync: the CLI's one-shot commands must not lose their last lines on exit.
  return createServiceLogger({ service: 'hema3n-cloud', level: options.level, redactedKeys: REDACTED_KEYS, ownErrors: ['CloudError', 'WireError'], destination: options.destination, sync: true });
}

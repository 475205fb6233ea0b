import { createServiceLogger, type DestinationStream, type Logger } from '@hema3n/cloud-sync/kit';

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

export type { Logger };

export function createLogger(options: { level: string; destination?: DestinationStream }): Logger {
  return createServiceLogger({ service: 'hema3n-edge', level: options.level, redactedKeys: REDACTED_KEYS, ownErrors: ['Hema3nError'], destination: options.destination });
}

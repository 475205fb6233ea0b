/** FHIR instant / dateTime in UTC with milliseconds, e.g. 2025-01-31T10:15:00.000Z. */
export function instant(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

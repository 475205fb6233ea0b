import type { Bundle } from '@medplum/fhirtypes';

/**
 * The JSON payloads both sides agree on, carried as UTF-8 JSON in an envelope of the same kind.
 * The envelope header's kind is authenticated; the receiver checks the payload's kind matches it.
 */

/** A case's clinical record as one FHIR R4 transaction Bundle (POST entries with urn:uuid fullUrls). */
export interface CaseBundlePayload {
  kind: 'case-bundle';
  caseId: string;
  bundle: Bundle;
}

/** Acuity on the appliance's 1 (most urgent) to 5 scale. */
export type Acuity = 1 | 2 | 3 | 4 | 5;

/** One recent measurement, as the appliance stores it: a LOINC code and UCUM unit. */
export interface AlertVital {
  code: string;
  value: number;
  unit: string;
  /** Milliseconds since the epoch. */
  observedAt: number;
}

/** A pre-arrival alert for the receiving hospital's dispatch board; small, so it goes ahead of the full bundle. */
export interface AlertPayload {
  kind: 'alert';
  caseId: string;
  acuity: Acuity;
  latestVitals: readonly AlertVital[];
  /** Expected arrival at the destination, milliseconds since the epoch; null before transport. */
  eta: number | null;
}

export type JsonPayload = CaseBundlePayload | AlertPayload;

/**
 * The extension on a case bundle's Encounter that carries the expected arrival at the destination
 * (valueDateTime): FHIR R4 has no element for it, and the dispatch board shows it for every case,
 * not only the critical ones that send an alert.
 */
export const ETA_EXTENSION_URL = 'urn:hema3n:extension:eta';

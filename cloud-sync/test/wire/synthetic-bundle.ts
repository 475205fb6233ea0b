import type { Bundle, BundleEntry, Observation } from '@medplum/fhirtypes';

/**
 * A synthetic FHIR R4 transaction Bundle shaped like a real case bundle (a patient, an
 * encounter, a stream of vital signs), with made-up values only: no PHI. Deterministic, so
 * sizes and compression ratios are comparable between runs.
 */
const VITALS = [
  { code: '8867-4', display: 'Heart rate', unit: '/min', base: 88 },
  { code: '59408-5', display: 'Oxygen saturation in Arterial blood by Pulse oximetry', unit: '%', base: 95 },
  { code: '9279-1', display: 'Respiratory rate', unit: '/min', base: 18 },
  { code: '8310-5', display: 'Body temperature', unit: 'Cel', base: 37 },
] as const;

function uuidFor(n: number): string {
  const hex = (n * 2654435761 % 2 ** 32).toString(16).padStart(8, '0');
  return `${hex}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

/** Deterministic jitter (a tiny LCG) so values vary like a monitor's readings, not like a pattern. */
function jitter(n: number): number {
  return ((n * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5;
}

function vitalEntry(n: number, startMs: number): BundleEntry<Observation> {
  const vital = VITALS[n % VITALS.length]!;
  const id = uuidFor(n + 1000);
  return {
    fullUrl: `urn:uuid:${id}`,
    resource: {
      resourceType: 'Observation',
      status: 'final',
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
      code: { coding: [{ system: 'http://loinc.org', code: vital.code, display: vital.display }] },
      subject: { reference: `urn:uuid:${uuidFor(1)}` },
      encounter: { reference: `urn:uuid:${uuidFor(2)}` },
      effectiveDateTime: new Date(startMs + n * 1000 + Math.round(jitter(n + 7) * 400)).toISOString(),
      valueQuantity: { value: Math.round((vital.base + jitter(n) * vital.base * 0.2) * 10) / 10, unit: vital.unit, system: 'http://unitsofmeasure.org', code: vital.unit },
    },
    request: { method: 'POST', url: 'Observation' },
  };
}

/** A transaction Bundle whose JSON is at least `minBytes` long. */
export function syntheticCaseBundle(minBytes: number): Bundle {
  const startMs = Date.UTC(2025, 0, 1, 8, 0, 0);
  const entries: BundleEntry[] = [
    { fullUrl: `urn:uuid:${uuidFor(1)}`, resource: { resourceType: 'Patient', gender: 'unknown' }, request: { method: 'POST', url: 'Patient' } },
    {
      fullUrl: `urn:uuid:${uuidFor(2)}`,
      resource: { resourceType: 'Encounter', status: 'in-progress', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'FLD' }, subject: { reference: `urn:uuid:${uuidFor(1)}` } },
      request: { method: 'POST', url: 'Encounter' },
    },
  ];
  const approxEntryBytes = JSON.stringify(vitalEntry(0, startMs)).length;
  const count = Math.ceil(minBytes / approxEntryBytes) + 1;
  for (let n = 0; n < count; n++) entries.push(vitalEntry(n, startMs));
  return { resourceType: 'Bundle', type: 'transaction', entry: entries };
}

export function syntheticCaseBundleBytes(minBytes: number): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(syntheticCaseBundle(minBytes)));
}

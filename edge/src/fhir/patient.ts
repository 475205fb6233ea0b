import type { AllergyIntolerance, HumanName, MedicationStatement, Observation, Patient } from '@medplum/fhirtypes';
import type { MappingContext } from './context.js';
import { LOCAL_ID, normalise } from './ids.js';
import { caseObservation, concept, ucumQuantity } from './observation.js';
import { ALLERGY_CLINICAL, ALLERGY_VERIFICATION, applianceIdentifierSystem, LOCAL_CODES } from './systems.js';
import { AGE, BODY_WEIGHT } from './vital-codes.js';

/** Tag on a patient whose identity is not known yet; such a Patient carries no name at all. */
export const UNIDENTIFIED_TAG = { system: LOCAL_CODES.tag, code: 'unidentified-patient', display: 'Unidentified patient' } as const;

export function patientResource(ctx: MappingContext): Patient {
  const { patient, applianceId } = ctx.snapshot;
  const name = patient.unidentified ? null : humanName(patient.givenName, patient.familyName);
  return {
    resourceType: 'Patient',
    id: ctx.ids.id('Patient', patient.id),
    ...(patient.unidentified ? { meta: { tag: [{ ...UNIDENTIFIED_TAG }] } } : {}),
    identifier: [{ system: applianceIdentifierSystem(applianceId, 'patient'), value: patient.id }],
    ...(name ? { name: [name] } : {}),
    ...(patient.sex ? { gender: patient.sex } : {}),
    ...(patient.birthDate ? { birthDate: patient.birthDate } : {}),
  };
}

function humanName(given: string | null, family: string | null): HumanName | null {
  if (!given && !family) return null;
  return { use: 'official', ...(family ? { family } : {}), ...(given ? { given: [given] } : {}) };
}

/** Age (when no birth date is known this is all a server gets) and weight, as Observations. */
export function patientObservations(ctx: MappingContext): Observation[] {
  const { patient, case: caseRecord } = ctx.snapshot;
  const observations: Observation[] = [];
  if (patient.ageYears !== null) {
    observations.push({
      ...caseObservation(ctx, { id: ctx.ids.id('Observation', LOCAL_ID.age(patient.id)), code: concept(AGE.codings, AGE.text), effectiveAt: caseRecord.createdAt }),
      valueQuantity: ucumQuantity(patient.ageYears, 'a', 'years'),
    });
  }
  if (patient.weightKg !== null) {
    observations.push({
      ...caseObservation(ctx, {
        id: ctx.ids.id('Observation', LOCAL_ID.weight(patient.id)),
        category: 'vital-signs',
        code: concept(BODY_WEIGHT.codings, BODY_WEIGHT.text),
        effectiveAt: caseRecord.createdAt,
      }),
      valueQuantity: ucumQuantity(patient.weightKg, 'kg', 'kg'),
    });
  }
  return observations;
}

/** Reported allergies as free text; unconfirmed, since the crew records what they are told. */
export function allergies(ctx: MappingContext): AllergyIntolerance[] {
  const { patient } = ctx.snapshot;
  return distinct(patient.allergies).map((text) => ({
    resourceType: 'AllergyIntolerance',
    id: ctx.ids.id('AllergyIntolerance', LOCAL_ID.allergy(patient.id, text)),
    clinicalStatus: { coding: [{ system: ALLERGY_CLINICAL, code: 'active', display: 'Active' }] },
    verificationStatus: { coding: [{ system: ALLERGY_VERIFICATION, code: 'unconfirmed', display: 'Unconfirmed' }] },
    code: { text },
    patient: ctx.patient,
    encounter: ctx.encounter,
  }));
}

/** Home medications as reported: MedicationStatement, active, free text. */
export function homeMedications(ctx: MappingContext): MedicationStatement[] {
  const { patient } = ctx.snapshot;
  return distinct(patient.homeMedications).map((text) => ({
    resourceType: 'MedicationStatement',
    id: ctx.ids.id('MedicationStatement', LOCAL_ID.homeMedication(patient.id, text)),
    status: 'active',
    medicationCodeableConcept: { text },
    subject: ctx.patient,
    context: ctx.encounter,
  }));
}

/** Free-text entries that differ only in case or spacing are one entry (they share an id). */
function distinct(texts: readonly string[]): string[] {
  const byKey = new Map<string, string>();
  for (const text of texts) {
    const trimmed = text.trim();
    if (trimmed && !byKey.has(normalise(trimmed))) byKey.set(normalise(trimmed), trimmed);
  }
  return [...byKey.values()];
}

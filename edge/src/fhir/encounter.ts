import type { Encounter, EncounterStatusHistory } from '@medplum/fhirtypes';
import type { CaseStatus } from '../store/index.js';
import type { MappingContext } from './context.js';
import { esiCoding } from './esi.js';
import { applianceIdentifierSystem, LOCAL_EXTENSIONS, V3_ACT_CODE, V3_PARTICIPATION_TYPE } from './systems.js';
import { instant } from './time.js';

type EncounterStatus = Encounter['status'];

/**
 * Case status → Encounter.status. Before the crew reaches the scene the encounter is planned;
 * on scene the crew has arrived; from patient contact until handoff care is in progress.
 */
export const ENCOUNTER_STATUS: Readonly<Record<CaseStatus, EncounterStatus>> = {
  dispatched: 'planned',
  en_route: 'planned',
  on_scene: 'arrived',
  patient_contact: 'in-progress',
  transporting: 'in-progress',
  at_destination: 'in-progress',
  handoff: 'finished',
  closed: 'finished',
};

export function encounterResource(ctx: MappingContext): Encounter {
  const { case: caseRecord, crew, applianceId } = ctx.snapshot;
  const timeline = [...caseRecord.timeline].sort((a, b) => a.at - b.at);
  const status = ENCOUNTER_STATUS[caseRecord.status];
  // The encounter ends when care passes to the hospital (handoff), not when the paperwork closes.
  const end = status === 'finished' ? timeline.find((event) => ENCOUNTER_STATUS[event.status] === 'finished')?.at : undefined;
  return {
    resourceType: 'Encounter',
    id: ctx.ids.id('Encounter', caseRecord.id),
    // FHIR R4 has no place for an expected arrival; dispatch reads it from here.
    ...(caseRecord.etaAt ? { extension: [{ url: LOCAL_EXTENSIONS.eta, valueDateTime: instant(caseRecord.etaAt) }] } : {}),
    identifier: [
      { system: applianceIdentifierSystem(applianceId, 'case'), value: caseRecord.id },
      ...(caseRecord.incidentNumber
        ? [{ type: { text: 'Incident number' }, system: applianceIdentifierSystem(applianceId, 'incident'), value: caseRecord.incidentNumber }]
        : []),
    ],
    status,
    ...(timeline.length > 0 ? { statusHistory: statusHistory(timeline) } : {}),
    class: { system: V3_ACT_CODE, code: 'EMER', display: 'emergency' },
    ...(caseRecord.acuity !== null ? { priority: { coding: [esiCoding(caseRecord.acuity)], text: `ESI ${caseRecord.acuity}` } } : {}),
    subject: ctx.patient,
    ...(crew.length > 0
      ? { participant: crew.map((member) => ({ type: [{ coding: [{ system: V3_PARTICIPATION_TYPE, code: 'PART', display: 'Participation' }] }], individual: ctx.practitioner(member.id) })) }
      : {}),
    period: { start: instant(timeline[0]?.at ?? caseRecord.createdAt), ...(end !== undefined ? { end: instant(end) } : {}) },
    ...(caseRecord.chiefComplaint ? { reasonCode: [{ text: caseRecord.chiefComplaint }] } : {}),
  };
}

/**
 * One entry per timeline event, each ending when the next begins. Several case statuses share an
 * Encounter status, so each entry also carries the case status in an extension: nothing is lost.
 */
function statusHistory(timeline: readonly { status: CaseStatus; at: number }[]): EncounterStatusHistory[] {
  return timeline.map((event, index) => {
    const next = timeline[index + 1];
    return {
      extension: [{ url: LOCAL_EXTENSIONS.caseStatus, valueCode: event.status }],
      status: ENCOUNTER_STATUS[event.status],
      period: { start: instant(event.at), ...(next ? { end: instant(next.at) } : {}) },
    };
  });
}

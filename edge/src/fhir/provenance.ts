import type { Provenance, ProvenanceAgent, Reference, Resource } from '@medplum/fhirtypes';
import type { MappingContext } from './context.js';
import { LOCAL_ID } from './ids.js';
import { PROVENANCE_PARTICIPANT } from './systems.js';
import { instant } from './time.js';

type AgentRole = 'assembler' | 'author' | 'performer';

const ROLE_DISPLAY: Readonly<Record<AgentRole, string>> = { assembler: 'Assembler', author: 'Author', performer: 'Performer' };

/**
 * Targets per Provenance. A case of hours at 1 Hz has tens of thousands of resources; one
 * Provenance over all of them would outgrow any bundle part, so the targets are cut into runs.
 */
export const PROVENANCE_TARGETS = 100;

/**
 * Provenance over every other resource in the bundle, in runs of PROVENANCE_TARGETS: the
 * appliance assembled them, the crew authored them, the monitors and the model produced data in
 * them. The time is the case's last change, so the same snapshot maps to the same bundle.
 */
export function caseProvenance(ctx: MappingContext, targets: readonly Resource[]): Provenance[] {
  const applianceId = ctx.ids.id('Device', LOCAL_ID.appliance());
  const agents = [
    agent('assembler', ctx.ids.ref('Device', LOCAL_ID.appliance())),
    ...targets.filter((resource) => resource.resourceType === 'Practitioner').map((member) => agent('author', referenceTo(member))),
    ...targets
      .filter((resource) => resource.resourceType === 'Device')
      .filter((device) => device.id !== applianceId)
      .map((device) => agent('performer', referenceTo(device))),
  ];
  const provenance: Provenance[] = [];
  for (let start = 0; start < targets.length; start += PROVENANCE_TARGETS) {
    provenance.push({
      resourceType: 'Provenance',
      id: ctx.ids.id('Provenance', LOCAL_ID.provenance(ctx.snapshot.case.id, start / PROVENANCE_TARGETS)),
      target: targets.slice(start, start + PROVENANCE_TARGETS).map(referenceTo),
      recorded: instant(ctx.snapshot.case.updatedAt),
      agent: structuredClone(agents),
    });
  }
  return provenance;
}

function agent(role: AgentRole, who: ProvenanceAgent['who']): ProvenanceAgent {
  return { type: { coding: [{ system: PROVENANCE_PARTICIPANT, code: role, display: ROLE_DISPLAY[role] }] }, who };
}

export function referenceTo<T extends Resource>(resource: T): Reference<T> {
  return { reference: `${resource.resourceType}/${resource.id}` };
}

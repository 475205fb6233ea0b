import type { Device, Encounter, Patient, Practitioner, Reference } from '@medplum/fhirtypes';
import { IdScheme, LOCAL_ID } from './ids.js';
import type { CaseSnapshot } from './snapshot.js';

/** What every part of the mapping shares: the snapshot, the id scheme and the common references. */
export interface MappingContext {
  readonly snapshot: CaseSnapshot;
  readonly ids: IdScheme;
  readonly patient: Reference<Patient>;
  readonly encounter: Reference<Encounter>;
  practitioner(crewId: string): Reference<Practitioner>;
  device(deviceId: string): Reference<Device>;
}

export function mappingContext(snapshot: CaseSnapshot): MappingContext {
  const ids = new IdScheme(snapshot.applianceId);
  return {
    snapshot,
    ids,
    patient: ids.ref('Patient', snapshot.patient.id),
    encounter: ids.ref('Encounter', snapshot.case.id),
    practitioner: (crewId) => ids.ref('Practitioner', crewId),
    device: (deviceId) => ids.ref('Device', LOCAL_ID.device(deviceId)),
  };
}

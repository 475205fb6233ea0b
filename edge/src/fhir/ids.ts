import type { ExtractResource, Reference, ResourceType } from '@medplum/fhirtypes';
import { NAMESPACE_URL, uuidV5 } from './uuid-v5.js';

/** The name-space of every HEMA3N resource id: UUIDv5 of this URN in the RFC 4122 URL name-space. */
export const FHIR_ID_NAMESPACE = uuidV5('urn:hema3n:fhir-id', NAMESPACE_URL);

/**
 * The server id of a resource: UUIDv5 over the JSON array [applianceId, resourceType, localId].
 * JSON keeps the three parts apart whatever characters they hold; the appliance id keeps two
 * appliances' local ids (which may collide) apart on a shared server.
 */
export function fhirId(applianceId: string, resourceType: ResourceType, localId: string): string {
  return uuidV5(JSON.stringify([applianceId, resourceType, localId]), FHIR_ID_NAMESPACE);
}

/** Ids and references of one appliance's resources. */
export class IdScheme {
  constructor(readonly applianceId: string) {}

  id(resourceType: ResourceType, localId: string): string {
    return fhirId(this.applianceId, resourceType, localId);
  }

  /** `Type/id`: entries are PUT to their final ids, so references need no urn:uuid rewriting. */
  ref<T extends ResourceType>(resourceType: T, localId: string): Reference<ExtractResource<T>> {
    return { reference: `${resourceType}/${this.id(resourceType, localId)}` };
  }
}

/**
 * Local ids, unique per appliance within their resource type. Store ids are used as they are where
 * one store row makes one resource; a prefix separates the sources that share a type.
 */
export const LOCAL_ID = {
  appliance: (): string => 'appliance',
  device: (deviceId: string): string => `device/${deviceId}`,
  model: (model: { id: string; version: string }, adapter: { specialty: string; version: string } | null): string =>
    `model/${model.id}/${model.version}/${adapter ? `${adapter.specialty}/${adapter.version}` : '-'}`,
  vital: (deviceId: string, seq: number, code: string): string => `vital/${deviceId}/${seq}/${code}`,
  bloodPressure: (deviceId: string, seq: number): string => `vital/${deviceId}/${seq}/BP`,
  age: (patientId: string): string => `age/${patientId}`,
  weight: (patientId: string): string => `weight/${patientId}`,
  news2: (assessmentId: string): string => `news2/${assessmentId}`,
  esi: (assessmentId: string): string => `esi/${assessmentId}`,
  impression: (caseId: string, conditionCode: string): string => `impression/${caseId}/${conditionCode}`,
  allergy: (patientId: string, text: string): string => `allergy/${patientId}/${normalise(text)}`,
  homeMedication: (patientId: string, text: string): string => `home-medication/${patientId}/${normalise(text)}`,
  provenance: (caseId: string, run: number): string => `case/${caseId}/${run}`,
} as const;

/** Free-text entries keyed by their text: case and spacing do not make a second resource. */
export function normalise(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLowerCase();
}

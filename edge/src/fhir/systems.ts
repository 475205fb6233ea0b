import { ETA_EXTENSION_URL } from '@hema3n/cloud-sync/wire';
/** Code systems and identifier systems. Standard ones from the FHIR R4 terminology; local ones under one base. */
export const LOINC = 'http://loinc.org';
export const UCUM = 'http://unitsofmeasure.org';
export const SNOMED = 'http://snomed.info/sct';
export const V3_ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
export const V3_PARTICIPATION_TYPE = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType';
export const V3_ROUTE = 'http://terminology.hl7.org/CodeSystem/v3-RouteOfAdministration';
export const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
export const DATA_ABSENT_REASON = 'http://terminology.hl7.org/CodeSystem/data-absent-reason';
export const CONDITION_CLINICAL = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
export const CONDITION_VERIFICATION = 'http://terminology.hl7.org/CodeSystem/condition-ver-status';
export const CONDITION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/condition-category';
export const ALLERGY_CLINICAL = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical';
export const ALLERGY_VERIFICATION = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification';
export const MEDIA_TYPE = 'http://terminology.hl7.org/CodeSystem/media-type';
export const PROVENANCE_PARTICIPANT = 'http://terminology.hl7.org/CodeSystem/provenance-participant-type';
/** Identifier system for identifiers that are themselves URIs (RFC 3986), here `ni:` content hashes. */
export const URI_IDENTIFIER = 'urn:ietf:rfc:3986';

// The appliance's own vocabulary. URNs, not URLs: nothing needs to resolve them, and no domain is assumed.
const LOCAL = 'urn:hema3n';
export const LOCAL_CODES = {
  assessmentSource: `${LOCAL}:codesystem:assessment-source`,
  triageCondition: `${LOCAL}:codesystem:triage-condition`,
  news2Risk: `${LOCAL}:codesystem:news2-risk`,
  intervention: `${LOCAL}:codesystem:intervention`,
  tag: `${LOCAL}:codesystem:tag`,
} as const;
export const LOCAL_EXTENSIONS = {
  caseStatus: `${LOCAL}:extension:case-status`,
  modelConfidence: `${LOCAL}:extension:model-confidence`,
  /** On the Encounter: expected arrival at the destination (dateTime), for dispatch; the cloud's contract names it. */
  eta: ETA_EXTENSION_URL,
} as const;

/** Identifier system for the appliance's own ids (`urn:hema3n:appliance`, value = appliance id). */
export const APPLIANCE_IDENTIFIER = `${LOCAL}:appliance`;

/** Identifier system for one kind of local id on one appliance, e.g. `urn:hema3n:appliance:<id>:patient`. */
export function applianceIdentifierSystem(applianceId: string, kind: string): string {
  return `${APPLIANCE_IDENTIFIER}:${applianceId}:${kind}`;
}

import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import { riskAssessments, scoreObservations, workingImpressions } from './assessments.js';
import { medicationAdministrations, noteDocuments, procedures } from './care.js';
import { assertConsistent } from './consistency.js';
import { mappingContext } from './context.js';
import { encounterResource } from './encounter.js';
import { binaries, mediaResources } from './media.js';
import { applianceDevice, measuringDevices, modelDevices, practitioners } from './participants.js';
import { allergies, homeMedications, patientObservations, patientResource } from './patient.js';
import { caseProvenance } from './provenance.js';
import type { CaseSnapshot } from './snapshot.js';
import { vitalObservations } from './vitals.js';

export interface CaseToBundleOptions {
  /**
   * The server's current versionId per resource, keyed `Type/id`. A known version becomes
   * request.ifMatch W/"<version>", so the PUT fails instead of overwriting a newer server copy.
   */
  readonly versions?: ReadonlyMap<string, string>;
}

/**
 * The case as one FHIR R4 transaction: every entry a PUT to its deterministic id, so sending the
 * same case again updates instead of duplicating. Entries come in reference order (what is
 * referred to comes first, Binary entries first of all), which splitBundle keeps. Deleted media
 * come first of all, as DELETEs of their Media and Binary (idempotent, like the PUTs).
 * Throws INPUT_INVALID when the snapshot does not hang together (see assertConsistent).
 */
export function caseToBundle(snapshot: CaseSnapshot, options: CaseToBundleOptions = {}): Bundle {
  assertConsistent(snapshot);
  const ctx = mappingContext(snapshot);
  const resources: Resource[] = [
    ...binaries(ctx),
    applianceDevice(ctx),
    ...measuringDevices(ctx),
    ...modelDevices(ctx),
    ...practitioners(ctx),
    patientResource(ctx),
    encounterResource(ctx),
    ...patientObservations(ctx),
    ...allergies(ctx),
    ...homeMedications(ctx),
    ...vitalObservations(ctx),
    ...scoreObservations(ctx),
    ...riskAssessments(ctx),
    ...workingImpressions(ctx),
    ...procedures(ctx),
    ...medicationAdministrations(ctx),
    ...noteDocuments(ctx),
    ...mediaResources(ctx),
  ];
  resources.push(...caseProvenance(ctx, resources));
  const deletions = (snapshot.deletedMedia ?? []).flatMap((id) => (['Media', 'Binary'] as const).map((type) => deleteEntry(`${type}/${ctx.ids.id(type, id)}`)));
  return { resourceType: 'Bundle', type: 'transaction', entry: [...deletions, ...resources.map((resource) => putEntry(resource, options.versions))] };
}

function deleteEntry(url: string): BundleEntry {
  return { request: { method: 'DELETE', url } };
}

function putEntry(resource: Resource, versions: ReadonlyMap<string, string> | undefined): BundleEntry {
  const url = `${resource.resourceType}/${resource.id}`;
  const version = versions?.get(url);
  return {
    fullUrl: `urn:uuid:${resource.id}`,
    resource,
    request: { method: 'PUT', url, ...(version !== undefined ? { ifMatch: `W/"${version}"` } : {}) },
  };
}

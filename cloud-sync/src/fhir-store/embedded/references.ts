import { evalFhirPath, getExpressionForResourceType, getSearchParameter, parseFhirPath, type FhirPathAtom } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';

/** The reference search parameters the store indexes; any other parameter is matched by medplum after the SQL. */
export const INDEXED_REFERENCE_PARAMS = ['subject', 'patient', 'encounter'] as const;

export interface IndexedReference {
  code: string;
  targetType: string;
  targetId: string;
}

const RELATIVE_REFERENCE = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/;

/**
 * Per resource type and parameter, the parsed FHIRPath of just that type's part of the
 * parameter's expression (`patient` is a union over thirty types). Parsing on every write cost
 * about 0.8 ms per resource; parsed once, indexing is no longer what a large bundle waits for.
 */
const expressions = new Map<string, FhirPathAtom | null>();

function expressionFor(type: string, code: string): FhirPathAtom | null {
  const key = `${type}.${code}`;
  let atom = expressions.get(key);
  if (atom === undefined) {
    const full = getSearchParameter(type, code)?.expression;
    const own = full === undefined ? undefined : getExpressionForResourceType(type, full);
    atom = own === undefined ? null : parseFhirPath(own);
    expressions.set(key, atom);
  }
  return atom;
}

/** What the resource points to, per indexed parameter, by evaluating the parameter's FHIRPath expression. */
export function indexedReferences(resource: Resource): IndexedReference[] {
  const found: IndexedReference[] = [];
  for (const code of INDEXED_REFERENCE_PARAMS) {
    const expression = expressionFor(resource.resourceType, code);
    if (expression === null) continue;
    for (const value of evalFhirPath(expression, resource)) {
      const reference = (value as { reference?: unknown } | undefined)?.reference;
      const match = typeof reference === 'string' ? RELATIVE_REFERENCE.exec(reference) : null;
      if (match) found.push({ code, targetType: match[1]!, targetId: match[2]! });
    }
  }
  return found;
}

import { describe, expect, it } from 'vitest';
import { FHIR_ID_NAMESPACE, fhirId, NAMESPACE_DNS, NAMESPACE_URL, uuidV5 } from '../../src/fhir/index.js';

describe('UUIDv5', () => {
  it.each([
    // RFC 4122 errata / RFC 9562 appendix A.4 example, and the Python uuid module documentation.
    [NAMESPACE_DNS, 'www.example.com', '2ed6657d-e927-568b-95e1-2665a8aea6a2'],
    [NAMESPACE_DNS, 'python.org', '886313e1-3b8a-5372-9b90-0c9aee199e5d'],
  ])('in name-space %s, %s is %s', (namespace, name, expected) => {
    expect(uuidV5(name, namespace)).toBe(expected);
  });

  it('accepts the name-space in upper case', () => {
    expect(uuidV5('www.example.com', NAMESPACE_DNS.toUpperCase())).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('refuses a name-space that is not a UUID', () => {
    expect(() => uuidV5('x', 'not-a-uuid')).toThrow(TypeError);
  });
});

describe('FHIR resource ids', () => {
  it('live in the name-space derived from urn:hema3n:fhir-id in the URL name-space', () => {
    expect(FHIR_ID_NAMESPACE).toBe(uuidV5('urn:hema3n:fhir-id', NAMESPACE_URL));
    expect(fhirId('app-1', 'Patient', 'p-1')).toBe(uuidV5('["app-1","Patient","p-1"]', FHIR_ID_NAMESPACE));
  });

  it('differ when appliance, type or local id differ, even where plain joining would collide', () => {
    const ids = [
      fhirId('app-1', 'Patient', 'p-1'),
      fhirId('app-2', 'Patient', 'p-1'),
      fhirId('app-1', 'Encounter', 'p-1'),
      fhirId('app-1', 'Patient', 'p-2'),
      fhirId('app-1/Patient', 'Patient', 'x'),
      fhirId('app-1', 'Patient', 'Patient/x'),
    ];
    expect(new Set(ids).size).toBe(ids.length);
  });
});

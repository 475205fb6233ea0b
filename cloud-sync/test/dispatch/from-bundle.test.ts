import type { Bundle, Encounter } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { factsFromBundle } from '../../src/dispatch/from-bundle.js';
import { ETA_EXTENSION_URL } from '../../src/wire/index.js';

const bundleWith = (...encounters: Encounter[]): Bundle => ({
  resourceType: 'Bundle',
  type: 'transaction',
  entry: encounters.map((resource) => ({ resource, request: { method: 'PUT', url: `Encounter/${resource.id}` } })),
});
const encounter = (extension?: Encounter['extension']): Encounter => ({ resourceType: 'Encounter', id: 'e1', status: 'in-progress', class: { code: 'EMER' }, ...(extension ? { extension } : {}) });
const facts = (bundle: Bundle) => factsFromBundle(bundle, 0, (reference) => reference);

describe('the ETA a case bundle gives the board', () => {
  it('is the Encounter extension as epoch ms, null when the Encounter has none (cleared), and unknown when the part has no Encounter', () => {
    expect(facts(bundleWith(encounter([{ url: ETA_EXTENSION_URL, valueDateTime: '2026-11-23T14:32:00.000Z' }]))).eta).toBe(Date.parse('2026-11-23T14:32:00.000Z'));
    expect(facts(bundleWith(encounter())).eta).toBeNull();
    expect(facts(bundleWith(encounter([{ url: ETA_EXTENSION_URL, valueDateTime: 'soon' }]))).eta).toBeNull();
    expect(facts(bundleWith()).eta).toBeUndefined();
  });
});

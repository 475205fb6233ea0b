import type { Bundle, Observation } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { caseToBundle, validateBundle } from '../../src/fhir/index.js';
import { stemiCase } from './stemi-case.js';

/** The STEMI bundle with one resource changed by `change`; returns the bundle and that resource's id. */
function withBrokenHeartRate(change: (observation: Record<string, unknown>) => void): { bundle: Bundle; id: string } {
  const bundle = structuredClone(caseToBundle(stemiCase()));
  const heartRate = bundle.entry!.map((e) => e.resource!).find((r): r is Observation => r.resourceType === 'Observation' && r.code.coding?.[0]?.code === '8867-4')!;
  change(heartRate as unknown as Record<string, unknown>);
  return { bundle, id: heartRate.id! };
}

describe('validateBundle', () => {
  it.each([
    ['a vital value that is NaN', (o: Record<string, unknown>) => ((o.valueQuantity as { value: number }).value = Number.NaN), 'Observation.value[x].value'],
    ['a status of the wrong type', (o: Record<string, unknown>) => (o.status = 42), 'Observation.status'],
    ['no status', (o: Record<string, unknown>) => delete o.status, 'Observation.status'],
    ['a time that is no dateTime', (o: Record<string, unknown>) => (o.effectiveDateTime = 'ten past nine'), 'Observation.effective[x]'],
    ['an element R4 does not have', (o: Record<string, unknown>) => (o.severity = 'high'), 'Observation.severity'],
  ])('reports %s with resource type, id and path', (_what, change, path) => {
    const { bundle, id } = withBrokenHeartRate(change);
    const result = validateBundle(bundle);
    expect(result.ok).toBe(false);
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0]).toMatchObject({ severity: 'error', resourceType: 'Observation', id, path });
    expect(result.issues[0]!.message.length).toBeGreaterThan(0);
  });

  it('reports a broken invariant (value and dataAbsentReason together)', () => {
    const { bundle, id } = withBrokenHeartRate((o) => (o.dataAbsentReason = { text: 'not measured' }));
    expect(validateBundle(bundle).issues).toEqual([expect.objectContaining({ resourceType: 'Observation', id, path: 'Observation', message: expect.stringContaining('obs-6') })]);
  });

  it('reports every bad resource, not just the first', () => {
    const bundle = structuredClone(caseToBundle(stemiCase()));
    const observations = bundle.entry!.map((e) => e.resource!).filter((r): r is Observation => r.resourceType === 'Observation');
    delete (observations[0] as Partial<Observation>).status;
    delete (observations[5] as Partial<Observation>).code;
    expect(validateBundle(bundle).issues.map((issue) => [issue.id, issue.path])).toEqual([
      [observations[0]!.id, 'Observation.status'],
      [observations[5]!.id, 'Observation.code'],
    ]);
  });

  it('checks the bundle itself, e.g. an entry request without a method', () => {
    const bundle = structuredClone(caseToBundle(stemiCase()));
    delete (bundle.entry![3]!.request as { method?: string }).method;
    expect(validateBundle(bundle).issues).toEqual([expect.objectContaining({ resourceType: 'Bundle', path: 'Bundle.entry[3].request.method' })]);
  });
});

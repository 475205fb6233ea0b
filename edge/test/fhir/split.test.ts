import type { Bundle, BundleEntry } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { Hema3nError } from '../../src/errors.js';
import { caseToBundle, DEFAULT_SPLIT_LIMITS, splitBundle, validateBundle, type CaseSnapshot, type SnapshotVital } from '../../src/fhir/index.js';
import { stemiCase } from './stemi-case.js';

const bytesOf = (bundle: Bundle): number => Buffer.byteLength(JSON.stringify(bundle), 'utf8');

/** The STEMI case with half an hour of 1 Hz heart rate and a 40 kB photo: about 1900 entries. */
function longCase(): CaseSnapshot {
  const snapshot = stemiCase();
  const start = snapshot.case.timeline[3]!.at;
  const heartRate: SnapshotVital[] = Array.from({ length: 1800 }, (_, second) => ({
    deviceId: 'monitor-1', seq: 10_000 + second, code: 'HR', value: 90 + (second % 15), unit: '/min', observedAt: start + second * 1000,
  }));
  const photo = Buffer.alloc(40_000, 7);
  return {
    ...snapshot,
    vitals: [...snapshot.vitals, ...heartRate],
    media: [...snapshot.media, { id: 'media-big', kind: 'image', contentType: 'image/jpeg', bytes: photo.length, sha256: 'ab'.repeat(32), createdAt: start, data: photo }],
  };
}

function positionsOf(parts: Bundle[]): Map<string, number> {
  const partOf = new Map<string, number>();
  parts.forEach((part, index) => part.entry!.forEach((entry) => partOf.set(entry.request!.url!, index)));
  return partOf;
}

describe('splitBundle', () => {
  it('leaves a bundle within the limits whole', () => {
    const bundle = caseToBundle(stemiCase());
    expect(splitBundle(bundle)).toEqual([bundle]);
    expect(DEFAULT_SPLIT_LIMITS).toEqual({ maxEntries: 200, maxBytes: 1_000_000 });
  });

  it.each([
    [{ maxEntries: 200, maxBytes: 1_000_000 }],
    [{ maxEntries: 50, maxBytes: 1_000_000 }],
    [{ maxEntries: 500, maxBytes: 120_000 }],
    [{ maxEntries: 1, maxBytes: 1_000_000 }],
  ])('keeps every part within %j, whole entries in their original order', (limits) => {
    const bundle = caseToBundle(longCase());
    const parts = splitBundle(bundle, limits);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.type).toBe('transaction');
      expect(part.entry!.length).toBeGreaterThan(0);
      expect(part.entry!.length).toBeLessThanOrEqual(limits.maxEntries);
      expect(bytesOf(part)).toBeLessThanOrEqual(limits.maxBytes);
    }
    expect(parts.flatMap((part) => part.entry!)).toEqual(bundle.entry);
  });

  it('fills parts up to the byte limit rather than cutting early', () => {
    const parts = splitBundle(caseToBundle(longCase()), { maxEntries: 10_000, maxBytes: 120_000 });
    for (const part of parts.slice(0, -1)) expect(bytesOf(part)).toBeGreaterThan(110_000);
  });

  it('counts bytes exactly: a part may be exactly maxBytes, never one byte more', () => {
    const observations = caseToBundle(stemiCase()).entry!.filter((e) => e.resource!.resourceType === 'Observation').slice(0, 3);
    const pair: Bundle = { resourceType: 'Bundle', type: 'transaction', entry: observations.slice(0, 2) };
    const three: Bundle = { ...pair, entry: observations };
    expect(splitBundle(three, { maxEntries: 10, maxBytes: bytesOf(pair) }).map((part) => part.entry!.length)).toEqual([2, 1]);
    expect(splitBundle(three, { maxEntries: 10, maxBytes: bytesOf(pair) - 1 }).map((part) => part.entry!.length)).toEqual([1, 1, 1]);
    expect(splitBundle(three, { maxEntries: 10, maxBytes: bytesOf(three) })).toEqual([three]);
  });

  it('gives parts that each validate, with every Binary in a part no later than its Media', () => {
    const parts = splitBundle(caseToBundle(longCase()), { maxEntries: 200, maxBytes: 200_000 });
    for (const part of parts) expect(validateBundle(part)).toEqual({ ok: true, issues: [] });
    const partOf = positionsOf(parts);
    for (const part of parts) {
      for (const entry of part.entry!) {
        if (entry.resource?.resourceType === 'Media') expect(partOf.get(entry.resource.content.url!) ?? -1).toBeLessThanOrEqual(partOf.get(entry.request!.url!)!);
      }
    }
  });

  it('moves Binary entries ahead of the rest even when the input has them late', () => {
    const bundle = caseToBundle(stemiCase());
    const binaries = bundle.entry!.filter((e) => e.resource!.resourceType === 'Binary');
    const others = bundle.entry!.filter((e) => e.resource!.resourceType !== 'Binary');
    const parts = splitBundle({ ...bundle, entry: [...others, ...binaries] }, { maxEntries: 40, maxBytes: 1_000_000 });
    expect(parts.flatMap((part) => part.entry!)).toEqual([...binaries, ...others]);
  });

  it('gives no parts for a bundle without entries', () => {
    expect(splitBundle({ resourceType: 'Bundle', type: 'transaction' })).toEqual([]);
  });

  it('refuses an entry too big for any part, naming it, instead of cutting a resource', () => {
    const bundle = caseToBundle(longCase());
    const bigIndex = bundle.entry!.findIndex((e: BundleEntry) => e.resource?.resourceType === 'Binary' && e.resource.data!.length > 50_000);
    expect(() => splitBundle(bundle, { maxEntries: 200, maxBytes: 50_000 })).toThrow(Hema3nError);
    try {
      splitBundle(bundle, { maxEntries: 200, maxBytes: 50_000 });
    } catch (error) {
      expect((error as Hema3nError).code).toBe('INPUT_INVALID');
      expect((error as Hema3nError).issues.map((issue) => issue.field)).toEqual([`entry[${bigIndex}]`]);
    }
  });

  it('refuses bad limits and bundles that are not transactions or batches, all at once', () => {
    const collection: Bundle = { resourceType: 'Bundle', type: 'collection' };
    try {
      splitBundle(collection, { maxEntries: 0, maxBytes: 1.5 });
      expect.unreachable();
    } catch (error) {
      expect((error as Hema3nError).issues.map((issue) => issue.field)).toEqual(['bundle.type', 'maxEntries', 'maxBytes']);
    }
  });
});

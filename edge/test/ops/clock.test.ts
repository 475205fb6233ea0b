import { describe, expect, it } from 'vitest';
import { clockFinding } from '../../src/ops/index.js';

const at = (iso: string): number => Date.parse(iso);

describe("doctor's clock check", () => {
  it.each([
    ['2026-03-01T00:00:00Z', null, 'synchronised', 'ok'],
    ['2026-03-01T00:00:00Z', null, 'unknown', 'ok'],
    ['2026-03-01T00:00:00Z', null, 'not synchronised', 'warn'],
    ['2023-12-31T23:59:59Z', null, 'synchronised', 'fail'],
    ['1970-01-01T00:00:10Z', null, 'unknown', 'fail'],
    ['2025-05-01T00:00:00Z', '2025-06-01T00:00:00Z', 'synchronised', 'fail'],
    ['2025-07-01T00:00:00Z', '2025-06-01T00:00:00Z', 'synchronised', 'ok'],
  ] as const)('at %s (build %s, NTP %s) is %s', (now, build, ntp, level) => {
    const finding = clockFinding(at(now), build === null ? null : at(build), ntp);
    expect(finding.level).toBe(level);
    expect(finding.fix === '').toBe(level === 'ok');
  });
});

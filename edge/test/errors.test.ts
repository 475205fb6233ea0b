import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE, Hema3nError, toHema3nError } from '../src/errors.js';

const doc = readFileSync(new URL('../../docs/ERRORS.md', import.meta.url), 'utf8');
const documented = new Map(
  [...doc.matchAll(/^\| ([A-Z][A-Z0-9_]+) \| (\d{3}) \| (\d+) \|/gm)].map((m) => [m[1]!, { status: Number(m[2]), exit: Number(m[3]) }]),
);

describe('error catalogue', () => {
  it('documents every code with its HTTP status and exit code, and documents no code that does not exist', () => {
    const catalogue = Object.fromEntries(Object.entries(ERROR_CATALOGUE).map(([code, e]) => [code, { status: e.status, exit: e.exit }]));
    expect(Object.fromEntries(documented)).toEqual(catalogue);
  });

  it('gives every code a fix a technician can act on', () => {
    for (const [code, entry] of Object.entries(ERROR_CATALOGUE)) expect(entry.fix.length, code).toBeGreaterThan(20);
  });

  it('turns anything foreign into INTERNAL without passing its message on', () => {
    const error = toHema3nError(new Error('UNIQUE constraint failed: patients.family_name = Smith'));
    expect(error).toBeInstanceOf(Hema3nError);
    expect(error.code).toBe('INTERNAL');
    expect(error.message).not.toContain('Smith');
  });
});

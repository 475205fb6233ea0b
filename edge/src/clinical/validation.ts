import { z } from 'zod';
import { Hema3nError, type FieldIssue } from '../errors.js';

/**
 * A measurement with bounds that reject what a body or a monitor cannot produce (typing slips,
 * sensor artefacts); bounds are wider than anything survivable so real extremes still score.
 */
export const measure = (min: number, max: number, unit: string) => {
  const problem = `must be a number from ${min} to ${max}${unit}`;
  return z.number({ error: problem }).min(min, problem).max(max, problem);
};
export const whole = (min: number, max: number) => {
  const problem = `must be a whole number from ${min} to ${max}`;
  return z.int({ error: problem }).min(min, problem).max(max, problem);
};

/** One FieldIssue per bad field (an unknown key is its own field), paths dotted: `gcs.eye`. */
export function fieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.flatMap((issue) => {
    const prefix = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: prefix ? `${prefix}.${key}` : key, problem: 'is not a known field' }));
    }
    return [{ field: prefix || '(root)', problem: issue.message }];
  });
}

/** The message names fields and problems only, never the values received (they may be PHI). */
export function inputInvalid(what: string, issues: readonly FieldIssue[]): Hema3nError {
  const list = issues.map((issue) => `${issue.field}: ${issue.problem}`).join('; ');
  return new Hema3nError('INPUT_INVALID', `Invalid ${what}: ${list}`, { issues });
}

import type { z } from 'zod';
import { Hema3nError } from '../errors.js';

/** Validates outside input against a schema; every bad field is named in one INPUT_INVALID. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({ field: issue.path.join('.') || '(body)', problem: issue.message }));
  throw new Hema3nError('INPUT_INVALID', `Invalid ${what}: ${issues.map((i) => `${i.field}: ${i.problem}`).join('; ')}`, { issues });
}

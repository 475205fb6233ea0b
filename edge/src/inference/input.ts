import { z } from 'zod';
import { parseScoreInput, type ScoreInput } from '../clinical/index.js';
import { Hema3nError, isHema3nError, type FieldIssue } from '../errors.js';
import type { AudioFeatureSource, ImageFeatureSource } from './media-features.js';

/**
 * What `hema3n infer` and POST /api/v1/infer take: the `hema3n score` object plus the model's own
 * inputs. Media features are attached by the caller from the media module, never read from JSON.
 */
export interface InferInput extends ScoreInput {
  /** mmHg: a model feature the rules do not use. */
  diastolicBP?: number;
  /** Capillary glucose in mg/dL (mmol/L x 18.016): a model feature the rules do not use. */
  bloodGlucose?: number;
  complaint?: string;
  notes?: string;
  /** Runs the request with this specialty's LoRA adapter; absent = the base model. */
  specialty?: string;
  audio?: AudioFeatureSource;
  image?: ImageFeatureSource;
}

const bounded = (min: number, max: number, unit: string) => {
  const problem = `must be a number from ${min} to ${max}${unit}`;
  return z.number({ error: problem }).min(min, problem).max(max, problem).optional();
};
const text = (max: number) => z.string({ error: 'must be text' }).max(max, `must be at most ${max} characters`).optional();

const ModelFieldsSchema = z.object({
  diastolicBP: bounded(10, 250, ' mmHg'),
  bloodGlucose: bounded(10, 1500, ' mg/dL'),
  complaint: text(2000),
  notes: text(8000),
  specialty: z.string({ error: 'must be text' }).regex(/^[a-z][a-z0-9-]{0,39}$/, 'must be a lowercase specialty name such as cardiology').optional(),
});
const MODEL_FIELDS = Object.keys(ModelFieldsSchema.shape);

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Validates outside input, naming every bad field at once (model fields and `score` fields alike)
 * without repeating any value. JSON null means "not given", as for `hema3n score`.
 */
export function parseInferInput(value: unknown): InferInput {
  if (!isRecord(value)) throw new Hema3nError('INPUT_INVALID', 'Invalid infer input: must be a JSON object', { issues: [{ field: '(root)', problem: 'must be a JSON object' }] });
  const given = Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null));
  const own = Object.fromEntries(Object.entries(given).filter(([k]) => MODEL_FIELDS.includes(k)));
  const rest = Object.fromEntries(Object.entries(given).filter(([k]) => !MODEL_FIELDS.includes(k)));
  const issues: FieldIssue[] = [];
  const parsed = ModelFieldsSchema.safeParse(own);
  if (!parsed.success) issues.push(...parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(root)', problem: i.message })));
  let score: ScoreInput = {};
  try {
    score = parseScoreInput(rest);
  } catch (error) {
    if (!isHema3nError(error) || error.code !== 'INPUT_INVALID') throw error;
    issues.push(...error.issues);
  }
  if (issues.length > 0) {
    throw new Hema3nError('INPUT_INVALID', `Invalid infer input: ${issues.map((i) => `${i.field}: ${i.problem}`).join('; ')}`, { issues });
  }
  return { ...score, ...Object.fromEntries(Object.entries(parsed.data ?? {}).filter(([, v]) => v !== undefined)) };
}

/** The part of the input the rule floor reads (scoreVitals refuses unknown fields). */
export function scorePart(input: InferInput): ScoreInput {
  const { diastolicBP: _d, bloodGlucose: _g, complaint: _c, notes: _n, specialty: _s, audio: _a, image: _i, ...score } = input;
  return score;
}

/** Complaint then notes, as one text for the tokenizer; null when neither says anything. */
export function caseText(input: InferInput): string | null {
  const parts = [input.complaint, input.notes].map((t) => t?.trim()).filter((t): t is string => Boolean(t));
  return parts.length > 0 ? parts.join('. ') : null;
}

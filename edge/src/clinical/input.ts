import { z } from 'zod';
import { fieldIssues, inputInvalid, measure, whole } from './validation.js';

/** ACVPU: Alert, new Confusion, responds to Voice, responds to Pain, Unresponsive. */
export const CONSCIOUSNESS_LEVELS = ['A', 'C', 'V', 'P', 'U'] as const;
export type Consciousness = (typeof CONSCIOUSNESS_LEVELS)[number];

export interface GcsInput {
  eye: number;
  verbal: number;
  motor: number;
}

/** Crew findings: true = abnormal finding present. An absent item was not assessed. */
export interface BeFastInput {
  balance?: boolean;
  eyes?: boolean;
  face?: boolean;
  arm?: boolean;
  speech?: boolean;
  lastKnownWellMinutes?: number;
}

/** Every field is optional: an absent vital is reported as missing, never assumed normal. */
export interface ScoreInput {
  respiratoryRate?: number;
  spo2?: number;
  spo2Scale?: 1 | 2;
  onOxygen?: boolean;
  systolicBP?: number;
  heartRate?: number;
  consciousness?: Consciousness;
  temperature?: number;
  ageYears?: number;
  gcs?: GcsInput;
  painScore?: number;
  beFast?: BeFastInput;
  highRiskSituation?: boolean;
  expectedResources?: number;
}

const flag = z.boolean({ error: 'must be true or false' }).optional();

const GcsSchema = z.strictObject(
  { eye: whole(1, 4), verbal: whole(1, 5), motor: whole(1, 6) },
  { error: 'must be an object with eye, verbal and motor' },
);

const BeFastSchema = z.strictObject(
  {
    balance: flag,
    eyes: flag,
    face: flag,
    arm: flag,
    speech: flag,
    lastKnownWellMinutes: measure(0, 60 * 24 * 365, ' minutes').optional(),
  },
  { error: 'must be an object of crew findings' },
);

// Strict: a misspelt field would otherwise look exactly like a vital that was not measured.
const ScoreInputSchema = z.strictObject(
  {
    respiratoryRate: measure(0, 80, ' /min').optional(),
    spo2: measure(0, 100, ' %').optional(),
    spo2Scale: z.literal([1, 2], { error: 'must be 1 or 2' }).optional(),
    onOxygen: flag,
    systolicBP: measure(20, 300, ' mmHg').optional(),
    heartRate: measure(0, 300, ' /min').optional(),
    consciousness: z.enum(CONSCIOUSNESS_LEVELS, { error: `must be one of ${CONSCIOUSNESS_LEVELS.join(', ')}` }).optional(),
    temperature: measure(25, 45, ' degC').optional(),
    ageYears: measure(0, 130, ' years').optional(),
    gcs: GcsSchema.optional(),
    painScore: whole(0, 10).optional(),
    beFast: BeFastSchema.optional(),
    highRiskSituation: flag,
    expectedResources: z.int({ error: 'must be a whole number, 0 or more' }).min(0, 'must be a whole number, 0 or more').optional(),
  },
  { error: 'must be a JSON object of vital signs' },
) satisfies z.ZodType<ScoreInput>;

/**
 * Validates outside input (CLI stdin, HTTP body). JSON `null` means "not measured" and is
 * treated like an absent field. Throws INPUT_INVALID naming every bad field at once; the
 * message never repeats the values received (they belong to a patient).
 */
export function parseScoreInput(value: unknown): ScoreInput {
  const parsed = ScoreInputSchema.safeParse(withoutNulls(value));
  if (parsed.success) return parsed.data;
  throw inputInvalid('score input', fieldIssues(parsed.error));
}

function withoutNulls(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const entries = Object.entries(value).filter(([, child]) => child !== null);
  return Object.fromEntries(entries.map(([key, child]) => [key, withoutNulls(child)]));
}

import { z } from 'zod';
import { Hema3nError } from '../errors.js';
import { DEVICES, emit, type SimEvent, type SimulatedDevice } from './devices.js';
import { EcgSynthesizer } from './ecg.js';
import { SimulatedPatient } from './physiology.js';
import { createRandom } from './random.js';
import { SCENARIOS, SCENARIO_NAMES, type PatientProfile, type ScenarioName } from './scenarios.js';

/** A fixed default start keeps a scenario byte-for-byte reproducible from its seed alone. */
export const DEFAULT_START_AT = Date.UTC(2025, 0, 1, 12, 0, 0);

const BuildOptionsSchema = z.strictObject({
  durationSeconds: z.int().min(60).max(24 * 60 * 60).default(30 * 60),
  seed: z.int().min(0).max(0xffffffff).default(1),
  startAt: z.union([z.int().min(0), z.date().transform((d) => d.getTime())]).default(DEFAULT_START_AT),
  waveformEncoding: z.enum(['binary', 'json']).default('binary'),
});

export type BuildOptions = z.input<typeof BuildOptionsSchema>;

export interface Scenario {
  readonly name: ScenarioName;
  readonly profile: PatientProfile;
  readonly durationSeconds: number;
  readonly seed: number;
  /** Epoch ms of the scenario's first moment; payload timestamps count from here. */
  readonly startAt: number;
  readonly devices: readonly SimulatedDevice[];
  /** Every message every device sends, in sending order. */
  readonly events: readonly SimEvent[];
}

export const scenarioNames: readonly ScenarioName[] = SCENARIO_NAMES;

/** Generates a whole scenario up front; pure and deterministic for (name, options). */
export function buildScenario(name: string, options: BuildOptions = {}): Scenario {
  const definition = SCENARIOS[assertScenarioName(name)];
  const { durationSeconds, seed, startAt, waveformEncoding } = parseOptions(options);
  // Each scenario gets its own noise for a given seed, not the same wobble on a different course.
  const streams = Math.floor(createRandom(seed, definition.name).next() * 0x100000000);
  const patient = new SimulatedPatient(definition, durationSeconds, streams);
  const context = { patient, ecg: new EcgSynthesizer(patient, streams), startAt, seed: streams, waveformEncoding };
  const events = DEVICES.flatMap((device) => emit(device, context)).sort((a, b) => a.atMs - b.atMs);
  return { name: definition.name, profile: definition.profile, durationSeconds, seed, startAt, devices: DEVICES, events };
}

function assertScenarioName(name: string): ScenarioName {
  if ((SCENARIO_NAMES as readonly string[]).includes(name)) return name as ScenarioName;
  throw new Hema3nError('INPUT_INVALID', 'Unknown scenario', {
    issues: [{ field: 'name', problem: `must be one of ${SCENARIO_NAMES.join(', ')}` }],
  });
}

function parseOptions(options: BuildOptions): z.output<typeof BuildOptionsSchema> {
  const parsed = BuildOptionsSchema.safeParse(options);
  if (parsed.success) return parsed.data;
  throw new Hema3nError('INPUT_INVALID', 'Invalid scenario options', {
    issues: parsed.error.issues.map((issue) => ({ field: issue.path.join('.') || '(options)', problem: issue.message })),
  });
}

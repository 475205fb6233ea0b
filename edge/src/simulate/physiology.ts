import { createRandom, wander } from './random.js';
import { valueAt, type CourseVital, type ScenarioDefinition } from './scenarios.js';

/**
 * How much each vital wanders around its course in a real patient: the spread (relative to
 * the value, or absolute in the vital's unit) and how slowly it drifts. A person's HR does not
 * jump 10 beats between two readings five seconds apart, but it does over a few minutes.
 */
const WANDER: Readonly<Record<CourseVital, { relative: number; absolute: number; tauSeconds: number }>> = {
  HR: { relative: 0.025, absolute: 0, tauSeconds: 90 },
  RR: { relative: 0.06, absolute: 0, tauSeconds: 60 },
  SPO2: { relative: 0, absolute: 0.6, tauSeconds: 60 },
  ETCO2: { relative: 0.03, absolute: 0, tauSeconds: 90 },
  SBP: { relative: 0.03, absolute: 0, tauSeconds: 240 },
  DBP: { relative: 0.03, absolute: 0, tauSeconds: 240 },
  TEMP: { relative: 0, absolute: 0.04, tauSeconds: 600 },
  GLUCOSE: { relative: 0.02, absolute: 0, tauSeconds: 600 },
};

const COURSE_VITALS = Object.keys(WANDER) as CourseVital[];

/** The simulated patient's true physiology, second by second, for one seed. */
export class SimulatedPatient {
  private readonly wander: ReadonlyMap<CourseVital, Float64Array>;

  constructor(
    readonly definition: ScenarioDefinition,
    readonly durationSeconds: number,
    seed: number,
  ) {
    this.wander = new Map(
      COURSE_VITALS.map((vital) => {
        const spec = WANDER[vital];
        // The spread is set for a unit-sized value; scaling happens in trueValue.
        const sd = spec.relative > 0 ? spec.relative : spec.absolute;
        // Systolic and diastolic move together, so they share one stream.
        const stream = `wander:${vital === 'DBP' ? 'SBP' : vital}`;
        return [vital, wander(createRandom(seed, stream), durationSeconds, sd, spec.tauSeconds)];
      }),
    );
  }

  progress(tSeconds: number): number {
    return Math.min(1, Math.max(0, tSeconds / this.durationSeconds));
  }

  trueValue(vital: CourseVital, tSeconds: number): number {
    const course = valueAt(this.definition.course[vital], this.progress(tSeconds));
    const series = this.wander.get(vital) as Float64Array;
    const drift = series[Math.min(series.length - 1, Math.max(0, Math.round(tSeconds)))] as number;
    return WANDER[vital].relative > 0 ? course * (1 + drift) : course + drift;
  }
}

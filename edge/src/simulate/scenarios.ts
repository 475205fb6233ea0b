/**
 * The clinical arcs. Each course is keyframes over the scenario's progress (0 = first contact,
 * 1 = end), so the whole arc plays out whatever duration is chosen. Values are the "true"
 * physiology in canonical units; devices add wander, measurement noise and their own units.
 * All patients are synthetic.
 */
export const SCENARIO_NAMES = [
  'normal',
  'sepsis',
  'stemi',
  'hemorrhagic-shock',
  'stroke',
  'pediatric-respiratory-distress',
  'hypothermia',
  'opioid-overdose',
] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export interface PatientProfile {
  readonly ageYears: number;
  readonly sex: 'male' | 'female';
  readonly weightKg: number;
  readonly chiefComplaint: string;
  /** What the scenario should show on the appliance, for the person running it. */
  readonly expectedSigns: string;
}

export type CourseVital = 'HR' | 'RR' | 'SPO2' | 'ETCO2' | 'SBP' | 'DBP' | 'TEMP' | 'GLUCOSE';
type Keyframe = readonly [progress: number, value: number];
export type Keyframes = readonly [Keyframe, ...Keyframe[]];
export type MonitorRhythm = 'SINUS' | 'SINUS_TACHY' | 'SINUS_BRADY' | 'AF' | 'STEMI';

export interface ScenarioDefinition {
  readonly name: ScenarioName;
  readonly profile: PatientProfile;
  readonly course: Readonly<Record<CourseVital, Keyframes>>;
  /** The monitor's interpretation from each progress point on. */
  readonly rhythm: readonly (readonly [progress: number, rhythm: MonitorRhythm])[];
  readonly ecg: { readonly stElevationMv: number; readonly atrialFibrillation: boolean };
  /** Units the point-of-care devices are set to (exercise the appliance's normalisation). */
  readonly units: { readonly temperature: 'Cel' | '[degF]'; readonly glucose: 'mg/dL' | 'mmol/L' };
}

const flat = (value: number): Keyframes => [[0, value], [1, value]];
const from = (start: number, end: number): Keyframes => [[0, start], [1, end]];
const NORMAL_ECG = { stElevationMv: 0, atrialFibrillation: false };
const METRIC = { temperature: 'Cel', glucose: 'mg/dL' } as const;

const DEFINITIONS: readonly ScenarioDefinition[] = [
  {
    name: 'normal',
    profile: { ageYears: 45, sex: 'female', weightKg: 68, chiefComplaint: 'twisted right ankle stepping off a kerb', expectedSigns: 'stable, normal vital signs' },
    course: { HR: flat(78), RR: flat(14), SPO2: flat(98), ETCO2: flat(38), SBP: flat(128), DBP: flat(78), TEMP: flat(36.8), GLUCOSE: flat(104) },
    rhythm: [[0, 'SINUS']],
    ecg: NORMAL_ECG,
    // A US-configured thermometer and a European glucometer.
    units: { temperature: '[degF]', glucose: 'mmol/L' },
  },
  {
    name: 'sepsis',
    profile: { ageYears: 78, sex: 'male', weightKg: 72, chiefComplaint: 'fever, confusion and productive cough for two days', expectedSigns: 'rising HR and RR, falling SBP, fever' },
    course: { HR: from(108, 132), RR: from(22, 30), SPO2: from(94, 90), ETCO2: from(32, 26), SBP: from(108, 82), DBP: from(64, 46), TEMP: from(38.9, 39.5), GLUCOSE: flat(168) },
    rhythm: [[0, 'SINUS_TACHY']],
    ecg: NORMAL_ECG,
    units: METRIC,
  },
  {
    name: 'stemi',
    profile: { ageYears: 62, sex: 'male', weightKg: 88, chiefComplaint: 'crushing chest pain radiating to the left arm for forty minutes', expectedSigns: "STEMI flag from the monitor, ST elevation on lead II" },
    course: { HR: from(96, 88), RR: flat(20), SPO2: flat(95), ETCO2: flat(36), SBP: from(152, 138), DBP: from(94, 86), TEMP: flat(36.7), GLUCOSE: flat(142) },
    rhythm: [[0, 'SINUS'], [0.05, 'STEMI']],
    ecg: { stElevationMv: 0.25, atrialFibrillation: false },
    units: METRIC,
  },
  {
    name: 'hemorrhagic-shock',
    profile: { ageYears: 34, sex: 'male', weightKg: 80, chiefComplaint: 'motorcycle collision with an open thigh wound bleeding heavily', expectedSigns: 'SBP falling below 90, shock index above 1' },
    course: { HR: from(118, 142), RR: from(24, 30), SPO2: from(96, 93), ETCO2: from(30, 22), SBP: [[0, 104], [0.5, 88], [1, 72]], DBP: from(70, 44), TEMP: from(36.2, 35.6), GLUCOSE: flat(152) },
    rhythm: [[0, 'SINUS_TACHY']],
    ecg: NORMAL_ECG,
    units: METRIC,
  },
  {
    name: 'stroke',
    profile: { ageYears: 71, sex: 'female', weightKg: 64, chiefComplaint: 'sudden right-sided weakness and slurred speech', expectedSigns: 'severe hypertension, atrial fibrillation, normal glucose' },
    course: { HR: flat(88), RR: flat(16), SPO2: flat(96), ETCO2: flat(38), SBP: from(188, 196), DBP: from(102, 106), TEMP: flat(36.9), GLUCOSE: flat(118) },
    rhythm: [[0, 'AF']],
    ecg: { stElevationMv: 0, atrialFibrillation: true },
    units: METRIC,
  },
  {
    name: 'pediatric-respiratory-distress',
    profile: { ageYears: 4, sex: 'male', weightKg: 16, chiefComplaint: 'wheezing and laboured breathing since this morning', expectedSigns: 'child with RR far above normal for age, falling SpO2, rising EtCO2' },
    course: { HR: from(150, 162), RR: from(44, 52), SPO2: from(92, 88), ETCO2: from(46, 54), SBP: flat(98), DBP: flat(60), TEMP: flat(38.2), GLUCOSE: flat(112) },
    rhythm: [[0, 'SINUS_TACHY']],
    ecg: NORMAL_ECG,
    units: METRIC,
  },
  {
    name: 'hypothermia',
    profile: { ageYears: 58, sex: 'male', weightKg: 75, chiefComplaint: 'found outdoors overnight, confused and shivering', expectedSigns: 'core temperature below 35 Cel, bradycardia' },
    course: { HR: from(56, 48), RR: from(10, 8), SPO2: flat(93), ETCO2: flat(31), SBP: from(98, 88), DBP: from(60, 52), TEMP: from(32.6, 32.2), GLUCOSE: flat(72) },
    rhythm: [[0, 'SINUS_BRADY']],
    ecg: NORMAL_ECG,
    units: METRIC,
  },
  {
    name: 'opioid-overdose',
    profile: { ageYears: 27, sex: 'female', weightKg: 60, chiefComplaint: 'found unresponsive with pinpoint pupils', expectedSigns: 'RR below 8, SpO2 falling, EtCO2 rising' },
    course: { HR: from(62, 56), RR: from(6, 4), SPO2: from(88, 76), ETCO2: from(58, 72), SBP: from(104, 96), DBP: from(64, 58), TEMP: flat(36.2), GLUCOSE: flat(92) },
    rhythm: [[0, 'SINUS']],
    ecg: NORMAL_ECG,
    units: METRIC,
  },
];

export const SCENARIOS: Readonly<Record<ScenarioName, ScenarioDefinition>> = Object.fromEntries(
  DEFINITIONS.map((d) => [d.name, d]),
) as Record<ScenarioName, ScenarioDefinition>;

/** Linear interpolation between keyframes; flat before the first and after the last. */
export function valueAt(keyframes: Keyframes, progress: number): number {
  let previous = keyframes[0];
  for (const frame of keyframes) {
    if (progress <= frame[0]) {
      const span = frame[0] - previous[0];
      return span <= 0 ? frame[1] : previous[1] + ((frame[1] - previous[1]) * (progress - previous[0])) / span;
    }
    previous = frame;
  }
  return previous[1];
}

export function rhythmAt(definition: ScenarioDefinition, progress: number): MonitorRhythm {
  let current = definition.rhythm[0]?.[1] ?? 'SINUS';
  for (const [start, rhythm] of definition.rhythm) if (progress >= start) current = rhythm;
  return current;
}

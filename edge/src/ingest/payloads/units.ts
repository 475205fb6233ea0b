import { VITALS, type CanonicalUnit, type VitalCode } from './measurements.js';

/**
 * Unit spellings accepted per code and how each becomes the canonical UCUM unit. Devices in the
 * field use both UCUM ('mm[Hg]', '[degF]') and display spellings ('mmHg', 'bpm'), so both are
 * accepted; matching ignores case because no two accepted spellings differ only in case.
 */
interface Conversion {
  readonly toCanonical: (value: number) => number;
  /** Converted values are rounded to this step so 98.6 [degF] stores as 37 Cel, not 36.99999. */
  readonly step: number;
}

const SAME: Conversion = { toCanonical: (v) => v, step: 0 };

// 1 kPa = 1000 Pa; 1 mm[Hg] = 133.322387415 Pa (UCUM).
const KPA_TO_MMHG: Conversion = { toCanonical: (v) => (v * 1000) / 133.322387415, step: 0.1 };
const FAHRENHEIT_TO_CELSIUS: Conversion = { toCanonical: (v) => ((v - 32) * 5) / 9, step: 0.01 };
// Glucose molar mass 180.16 g/mol: 1 mmol/L = 18.016 mg/dL.
const MMOL_TO_MG_DL: Conversion = { toCanonical: (v) => v * 18.016, step: 0.1 };

const PER_MINUTE = ['/min', '1/min', 'min-1'];
const PRESSURE: Record<string, Conversion> = { 'mm[Hg]': SAME, mmHg: SAME, kPa: KPA_TO_MMHG };
const SCORE: Record<string, Conversion> = { '{score}': SAME, score: SAME, '1': SAME };

const ACCEPTED: Readonly<Record<VitalCode, Readonly<Record<string, Conversion>>>> = {
  HR: same([...PER_MINUTE, 'bpm', '{beats}/min', 'beats/min']),
  RR: same([...PER_MINUTE, '{breaths}/min', 'breaths/min', 'br/min', 'rpm', 'bpm']),
  SPO2: same(['%']),
  SBP: PRESSURE,
  DBP: PRESSURE,
  MAP: PRESSURE,
  ETCO2: PRESSURE,
  TEMP: { Cel: SAME, degC: SAME, '°C': SAME, '[degF]': FAHRENHEIT_TO_CELSIUS, degF: FAHRENHEIT_TO_CELSIUS, '°F': FAHRENHEIT_TO_CELSIUS },
  GLUCOSE: { 'mg/dL': SAME, 'mmol/L': MMOL_TO_MG_DL },
  GCS: SCORE,
  PAIN: SCORE,
};

const LOOKUP: ReadonlyMap<VitalCode, ReadonlyMap<string, Conversion>> = new Map(
  Object.entries(ACCEPTED).map(([code, units]) => [
    code as VitalCode,
    new Map(Object.entries(units).map(([unit, conversion]) => [unit.toLowerCase(), conversion])),
  ]),
);

function same(units: readonly string[]): Record<string, Conversion> {
  return Object.fromEntries(units.map((u) => [u, SAME]));
}

/** The unit spellings a device may use for a code, canonical first (for the rejection text). */
export function acceptedUnits(code: VitalCode): string[] {
  const canonical = VITALS[code].unit;
  return [canonical, ...Object.keys(ACCEPTED[code]).filter((u) => u !== canonical)];
}

/** The value in the code's canonical unit, or undefined when the unit is not accepted for it. */
export function toCanonicalUnit(code: VitalCode, value: number, unit: string): { value: number; unit: CanonicalUnit } | undefined {
  const conversion = LOOKUP.get(code)?.get(unit.trim().toLowerCase());
  if (conversion === undefined) return undefined;
  const converted = conversion.toCanonical(value);
  return { value: conversion.step === 0 ? converted : roundTo(converted, conversion.step), unit: VITALS[code].unit };
}

function roundTo(value: number, step: number): number {
  const decimals = Math.round(-Math.log10(step));
  return Number((Math.round(value / step) * step).toFixed(decimals));
}

import {
  FORMULARY, type DoseRule, type DoseUnit, type FormularyEntry, type MedicationRoute, type Population, type RuleUnit,
} from './formulary.js';

/** What the crew is about to record, or has recorded. */
export interface Administration {
  /** A formulary id or name; anything else is recorded unchecked. */
  readonly medication: string;
  readonly dose: number;
  readonly doseUnit: DoseUnit;
  readonly route: MedicationRoute;
}

export interface PatientContext {
  readonly ageYears: number | null;
  readonly weightKg: number | null;
  readonly allergies: readonly string[];
  readonly homeMedications: readonly string[];
  /** Latest systolic BP from the devices, when fresh. */
  readonly systolicBP: number | null;
}

export type MedicationWarningKind =
  | 'allergy' | 'interaction' | 'hypotension' | 'not-for-population' | 'route' | 'unit' | 'weight-unknown'
  | 'above-range' | 'below-range' | 'outside-range' | 'above-total' | 'not-in-formulary' | 'age-unknown' | 'blood-pressure-unknown';

export interface MedicationWarning {
  readonly kind: MedicationWarningKind;
  /** An override with a stated reason is needed to record the administration. */
  readonly needsOverride: boolean;
  readonly text: string;
}

export interface ExpectedDose {
  readonly indication: string;
  readonly min: number;
  readonly max: number;
  readonly unit: RuleUnit;
  /** How the range was reached, e.g. "0.01 mg/kg x 16 kg, max 1 mg". */
  readonly basis: string;
}

export interface MedicationCheck {
  readonly medicationId: string | null;
  readonly medicationName: string;
  readonly population: Population;
  readonly expected: readonly ExpectedDose[];
  /** This dose plus earlier ones of the same drug in the case, in the formulary's unit. */
  readonly total: { readonly given: number; readonly max: number | null; readonly unit: RuleUnit } | null;
  readonly warnings: readonly MedicationWarning[];
  readonly needsOverride: boolean;
}

/** Recorded doses are rounded by people; a dose within 1 % of a bound is taken as on it. */
const TOLERANCE = 0.01;
/** Below this weight a patient of unknown age is dosed as a child. */
const CHILD_WEIGHT_KG = 40;
const MASS_IN_MG: Readonly<Record<string, number>> = { mg: 1, mcg: 0.001, g: 1000 };

export function findMedication(nameOrId: string): FormularyEntry | undefined {
  const key = nameOrId.trim().toLowerCase();
  return FORMULARY.find((e) => e.id === key || e.name.toLowerCase() === key);
}

/**
 * Checks one administration against the patient's allergies and home medications, the latest
 * blood pressure, and the formulary's dose ranges for the patient's age and weight, including the
 * total over the case. Pure: the caller supplies the patient and the earlier administrations.
 */
export function checkAdministration(given: Administration, patient: PatientContext, earlier: readonly Administration[] = []): MedicationCheck {
  const entry = findMedication(given.medication);
  const { population, note } = populationOf(patient);
  const warnings: MedicationWarning[] = [];
  if (note) warnings.push(note);
  if (!entry) {
    warnings.push(...allergyWarnings(given.medication, [given.medication.toLowerCase()], patient));
    warnings.push({ kind: 'not-in-formulary', needsOverride: false, text: 'Not in the built-in formulary: the dose is not checked' });
    return result(null, given.medication.trim(), population, [], null, warnings);
  }
  warnings.push(...allergyWarnings(entry.name, entry.allergyTerms, patient), ...interactionWarnings(entry, patient), ...pressureWarnings(entry, patient));
  const dosing = doseWarnings(entry, given, population, patient.weightKg);
  warnings.push(...dosing.warnings);
  const total = totalCheck(entry, given, earlier, population, patient.weightKg);
  if (total?.warning) warnings.push(total.warning);
  return result(entry.id, entry.name, population, dosing.expected, total?.total ?? null, warnings);
}

function result(
  id: string | null, name: string, population: Population, expected: ExpectedDose[], total: MedicationCheck['total'], warnings: MedicationWarning[],
): MedicationCheck {
  return { medicationId: id, medicationName: name, population, expected, total, warnings, needsOverride: warnings.some((w) => w.needsOverride) };
}

/** Under 18 is a child; with the age unknown, the weight decides, and with neither, adult ranges apply. */
function populationOf(patient: PatientContext): { population: Population; note?: MedicationWarning } {
  if (patient.ageYears !== null) return { population: patient.ageYears < 18 ? 'pediatric' : 'adult' };
  if (patient.weightKg !== null && patient.weightKg < CHILD_WEIGHT_KG) {
    return { population: 'pediatric', note: { kind: 'age-unknown', needsOverride: false, text: `Age unknown: dosed as a child (weight under ${CHILD_WEIGHT_KG} kg)` } };
  }
  return { population: 'adult', note: { kind: 'age-unknown', needsOverride: false, text: 'Age unknown: adult ranges used' } };
}

/** A term matches at the start of a word, so "asa" finds "ASA" but not "nasal", and "opioid" finds "opioids". */
function mentions(text: string, term: string): boolean {
  const escaped = term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^a-z0-9])${escaped}`, 'i').test(text);
}

function allergyWarnings(drugName: string, terms: readonly string[], patient: PatientContext): MedicationWarning[] {
  const conflict = patient.allergies.some((allergy) => {
    const recorded = allergy.trim().toLowerCase();
    // Either the allergy names the drug or its class, or the crew typed the start of the drug's name.
    return terms.some((term) => mentions(recorded, term)) || (recorded.length >= 4 && mentions(drugName, recorded));
  });
  return conflict ? [{ kind: 'allergy', needsOverride: true, text: `Recorded allergy conflicts with ${drugName}` }] : [];
}

function interactionWarnings(entry: FormularyEntry, patient: PatientContext): MedicationWarning[] {
  return (entry.interactions ?? [])
    .filter((i) => patient.homeMedications.some((med) => i.homeMedicationTerms.some((term) => mentions(med, term))))
    .map((i) => ({ kind: 'interaction' as const, needsOverride: true, text: `Home medication: ${i.text}` }));
}

function pressureWarnings(entry: FormularyEntry, patient: PatientContext): MedicationWarning[] {
  if (entry.minSystolicBP === undefined) return [];
  if (patient.systolicBP === null) {
    return [{ kind: 'blood-pressure-unknown', needsOverride: false, text: `No recent systolic BP: check it is ${entry.minSystolicBP} mmHg or more first` }];
  }
  if (patient.systolicBP >= entry.minSystolicBP) return [];
  return [{ kind: 'hypotension', needsOverride: true, text: `Systolic BP ${patient.systolicBP} mmHg is below ${entry.minSystolicBP} mmHg` }];
}

function doseWarnings(
  entry: FormularyEntry, given: Administration, population: Population, weightKg: number | null,
): { expected: ExpectedDose[]; warnings: MedicationWarning[] } {
  const forPopulation = entry.doses.filter((r) => r.population === population);
  if (forPopulation.length === 0) {
    return { expected: [], warnings: [{ kind: 'not-for-population', needsOverride: true, text: `${entry.name} has no ${population === 'pediatric' ? 'paediatric' : 'adult'} dose in the formulary` }] };
  }
  const rules = forPopulation.filter((r) => r.routes.includes(given.route));
  if (rules.length === 0) {
    const routes = [...new Set(forPopulation.flatMap((r) => r.routes))].join(', ');
    return { expected: [], warnings: [{ kind: 'route', needsOverride: true, text: `${given.route} is not a formulary route for ${entry.name} (${routes})` }] };
  }
  const ranges = rules.map((rule) => expectedDose(rule, weightKg));
  const expected = ranges.filter((r): r is ExpectedDose => r !== null);
  const warnings: MedicationWarning[] = [];
  if (expected.length < ranges.length) {
    warnings.push({ kind: 'weight-unknown', needsOverride: true, text: 'Weight unknown: a per-kg dose cannot be checked (record the weight or an estimate)' });
  }
  const dose = inUnit(given.dose, given.doseUnit, rules[0]!.unit, entry);
  if (dose === null) {
    warnings.push({ kind: 'unit', needsOverride: true, text: `${given.doseUnit} cannot be converted to ${rules[0]!.unit} for ${entry.name}` });
  } else if (expected.length > 0) {
    const outside = rangeWarning(dose, expected);
    if (outside) warnings.push(outside);
  }
  return { expected, warnings };
}

/** The single-dose range of one rule for this patient; null when it needs a weight that is unknown. */
function expectedDose(rule: DoseRule, weightKg: number | null): ExpectedDose | null {
  if (rule.perKg && weightKg !== null) {
    const cap = rule.maxSingle ?? Infinity;
    const floor = rule.minSingle ?? 0;
    const min = Math.min(Math.max(rule.perKg.min * weightKg, floor), cap);
    const max = Math.max(Math.min(rule.perKg.max * weightKg, cap), Math.min(floor, cap));
    const perKg = rule.perKg.min === rule.perKg.max ? `${fmt(rule.perKg.min)}` : `${fmt(rule.perKg.min)}-${fmt(rule.perKg.max)}`;
    const bounds = [rule.minSingle !== undefined ? `min ${fmt(rule.minSingle)}` : '', rule.maxSingle !== undefined ? `max ${fmt(rule.maxSingle)}` : ''].filter(Boolean);
    const basis = `${perKg} ${rule.unit}/kg x ${fmt(weightKg)} kg${bounds.length ? `, ${bounds.join(', ')} ${rule.unit}` : ''}`;
    return { indication: rule.indication, min: round(min), max: round(max), unit: rule.unit, basis };
  }
  const usesFixed = rule.fixed && (!rule.perKg || rule.population === 'adult');
  if (!usesFixed) return null;
  return { indication: rule.indication, min: rule.fixed!.min, max: rule.fixed!.max, unit: rule.unit, basis: rule.perKg ? 'adult range (weight unknown)' : 'fixed dose' };
}

function rangeWarning(dose: number, expected: readonly ExpectedDose[]): MedicationWarning | null {
  const within = (e: ExpectedDose) => dose >= e.min * (1 - TOLERANCE) - 1e-9 && dose <= e.max * (1 + TOLERANCE) + 1e-9;
  if (expected.some(within)) return null;
  const unit = expected[0]!.unit;
  const lowest = Math.min(...expected.map((e) => e.min));
  const highest = Math.max(...expected.map((e) => e.max));
  const span = expected.map((e) => (e.min === e.max ? `${fmt(e.min)}` : `${fmt(e.min)}-${fmt(e.max)}`)).join(' or ');
  if (dose > highest) return { kind: 'above-range', needsOverride: true, text: `${fmt(dose)} ${unit} is above the expected ${span} ${unit}` };
  if (dose < lowest) return { kind: 'below-range', needsOverride: true, text: `${fmt(dose)} ${unit} is below the expected ${span} ${unit}` };
  return { kind: 'outside-range', needsOverride: true, text: `${fmt(dose)} ${unit} is outside the expected ${span} ${unit}` };
}

function totalCheck(
  entry: FormularyEntry, given: Administration, earlier: readonly Administration[], population: Population, weightKg: number | null,
): { total: NonNullable<MedicationCheck['total']>; warning?: MedicationWarning } | null {
  const rules = entry.doses.filter((r) => r.population === population);
  const unit = rules[0]?.unit;
  if (!unit) return null;
  const same = [...earlier.filter((e) => findMedication(e.medication)?.id === entry.id), given];
  const amounts = same.map((a) => inUnit(a.dose, a.doseUnit, unit, entry));
  if (amounts.some((a) => a === null)) return null;
  const givenTotal = round(amounts.reduce<number>((sum, a) => sum + a!, 0));
  const limits = rules.map((r) => totalLimit(r, weightKg)).filter((l): l is number => l !== null);
  const max = limits.length > 0 ? round(Math.max(...limits)) : null;
  const total = { given: givenTotal, max, unit };
  if (max === null || givenTotal <= max * (1 + TOLERANCE) + 1e-9) return { total };
  return { total, warning: { kind: 'above-total', needsOverride: true, text: `Total ${fmt(givenTotal)} ${unit} in this case is above the maximum ${fmt(max)} ${unit}` } };
}

function totalLimit(rule: DoseRule, weightKg: number | null): number | null {
  const perKg = rule.maxTotalPerKg !== undefined && weightKg !== null ? rule.maxTotalPerKg * weightKg : null;
  if (perKg !== null && rule.maxTotal !== undefined) return Math.min(perKg, rule.maxTotal);
  return perKg ?? rule.maxTotal ?? null;
}

/** Converts between mass units, and from mL through the presentation's strength. */
function inUnit(value: number, unit: DoseUnit, target: RuleUnit, entry: FormularyEntry): number | null {
  if (unit === target) return value;
  if (target === 'L/min' || unit === 'L/min') return null;
  const mg = unit === 'mL' ? (entry.mgPerMl === undefined ? null : value * entry.mgPerMl) : value * MASS_IN_MG[unit]!;
  return mg === null ? null : round(mg / MASS_IN_MG[target]!);
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/** Numbers as people write doses: no float noise, no trailing zeros. */
function fmt(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}

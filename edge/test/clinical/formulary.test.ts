import { describe, expect, it } from 'vitest';
import { checkAdministration, FORMULARY, type Administration, type PatientContext } from '../../src/clinical/index.js';

const ADULT: PatientContext = { ageYears: 62, weightKg: 88, allergies: [], homeMedications: [], systolicBP: 140 };
const child = (ageYears: number, weightKg: number | null): PatientContext => ({ ...ADULT, ageYears, weightKg });
const give = (medication: string, dose: number, doseUnit: Administration['doseUnit'], route: Administration['route']): Administration => ({ medication, dose, doseUnit, route });

/** [what, administration, patient, earlier administrations in the case, warning kinds expected] */
const CASES: Array<[string, Administration, PatientContext, Administration[], string[]]> = [
  ['aspirin 300 mg PO for an adult', give('aspirin', 300, 'mg', 'PO'), ADULT, [], []],
  ['aspirin 600 mg PO is above the range and the case total', give('aspirin', 600, 'mg', 'PO'), ADULT, [], ['above-range', 'above-total']],
  ['aspirin for an 8-year-old has no paediatric dose', give('aspirin', 300, 'mg', 'PO'), child(8, 25), [], ['not-for-population']],
  ['aspirin with an "ASA" allergy', give('aspirin', 300, 'mg', 'PO'), { ...ADULT, allergies: ['ASA'] }, [], ['allergy']],
  ['aspirin with an "NSAIDs" allergy (the class)', give('aspirin', 300, 'mg', 'PO'), { ...ADULT, allergies: ['NSAIDs'] }, [], ['allergy']],
  ['aspirin with a "nasal spray" allergy (asa inside a word is no match)', give('aspirin', 300, 'mg', 'PO'), { ...ADULT, allergies: ['nasal spray'] }, [], []],
  ['epinephrine 1 mg/10 mL: 1 mg IV in arrest', give('epinephrine-0.1', 1, 'mg', 'IV'), ADULT, [], []],
  ['epinephrine 1 mg/10 mL: 10 mL is 1 mg', give('epinephrine-0.1', 10, 'mL', 'IO'), ADULT, [], []],
  ['epinephrine 1 mg/10 mL: 1 mL is 0.1 mg, below the arrest dose', give('epinephrine-0.1', 1, 'mL', 'IV'), ADULT, [], ['below-range']],
  ['epinephrine 1 mg/mL given IV (an IM-only presentation)', give('epinephrine-1', 1, 'mg', 'IV'), ADULT, [], ['route']],
  ['epinephrine 1 mg/mL IM 0.2 mg for a 20 kg child', give('epinephrine-1', 0.2, 'mg', 'IM'), child(6, 20), [], []],
  ['epinephrine 1 mg/mL IM 0.5 mg for a 20 kg child', give('epinephrine-1', 0.5, 'mg', 'IM'), child(6, 20), [], ['above-range']],
  ['epinephrine auto-injector 0.15 mg for a 10 kg child', give('epinephrine-1', 0.15, 'mg', 'IM'), child(1, 10), [], []],
  ['epinephrine for a child of unknown weight', give('epinephrine-1', 0.15, 'mg', 'IM'), child(3, null), [], ['weight-unknown']],
  ['naloxone 4 mg nasal spray for an adult', give('naloxone', 4, 'mg', 'IN'), ADULT, [], []],
  ['naloxone 4 mg IV for an adult', give('naloxone', 4, 'mg', 'IV'), ADULT, [], ['above-range']],
  ['midazolam 3.2 mg IN for a 16 kg child (0.2 mg/kg)', give('midazolam', 3.2, 'mg', 'IN'), child(4, 16), [], []],
  ['fentanyl 100 mcg IV for an adult', give('fentanyl', 100, 'mcg', 'IV'), ADULT, [], []],
  ['fentanyl 0.1 mg IV is 100 mcg', give('fentanyl', 0.1, 'mg', 'IV'), ADULT, [], []],
  ['fentanyl 200 mcg IV for an adult', give('fentanyl', 200, 'mcg', 'IV'), ADULT, [], ['above-range']],
  ['morphine with an "opioids" allergy', give('morphine', 4, 'mg', 'IV'), { ...ADULT, allergies: ['Opioids (rash)'] }, [], ['allergy']],
  ['morphine at a systolic BP of 82', give('morphine', 4, 'mg', 'IV'), { ...ADULT, systolicBP: 82 }, [], ['hypotension']],
  ['amiodarone 5 mg/kg for a 20 kg child', give('amiodarone', 100, 'mg', 'IO'), child(5, 20), [give('amiodarone', 100, 'mg', 'IO')], []],
  ['a fourth 5 mg/kg amiodarone dose passes 15 mg/kg', give('amiodarone', 100, 'mg', 'IO'), child(5, 20), [give('amiodarone', 100, 'mg', 'IO'), give('amiodarone', 100, 'mg', 'IO'), give('amiodarone', 100, 'mg', 'IO')], ['above-total']],
  ['adenosine 12 mg after 6 mg', give('adenosine', 12, 'mg', 'IV'), ADULT, [give('adenosine', 6, 'mg', 'IV')], []],
  ['adenosine 18 mg', give('adenosine', 18, 'mg', 'IV'), ADULT, [], ['above-range']],
  ['dextrose 10% 50 mL (5 g) for a 10 kg child', give('dextrose-10', 50, 'mL', 'IV'), child(1, 10), [], []],
  ['dextrose 10% 150 mL (15 g) for a 10 kg child', give('dextrose-10', 150, 'mL', 'IV'), child(1, 10), [], ['above-range']],
  ['salbutamol 2.5 mg nebulised for a 10 kg child (the 2.5 mg floor)', give('salbutamol', 2.5, 'mg', 'NEB'), child(1, 10), [], []],
  ['salbutamol 1.5 mg nebulised for a 10 kg child', give('salbutamol', 1.5, 'mg', 'NEB'), child(1, 10), [], ['below-range']],
  ['ipratropium 0.5 mg nebulised for an adult', give('ipratropium', 0.5, 'mg', 'NEB'), ADULT, [], []],
  ['ketamine 20 mg IV for analgesia at 88 kg', give('ketamine', 20, 'mg', 'IV'), ADULT, [], []],
  ['ketamine 20 mg IV for an adult of unknown weight (adult range)', give('ketamine', 20, 'mg', 'IV'), { ...ADULT, weightKg: null }, [], []],
  ['ketamine 100 mg IV at 88 kg (above the analgesic range)', give('ketamine', 100, 'mg', 'IV'), ADULT, [], ['above-range']],
  ['tranexamic acid 1000 mg IV is 1 g', give('tranexamic-acid', 1000, 'mg', 'IV'), ADULT, [], []],
  ['tranexamic acid 300 mg for a 20 kg child (15 mg/kg)', give('tranexamic-acid', 300, 'mg', 'IV'), child(7, 20), [], []],
  ['ondansetron 4 mg for a 20 kg child (max 3 mg)', give('ondansetron', 4, 'mg', 'IV'), child(6, 20), [], ['above-range']],
  ['oxygen 15 L/min', give('oxygen', 15, 'L/min', 'INH'), ADULT, [], []],
  ['oxygen recorded in mg', give('oxygen', 15, 'mg', 'INH'), ADULT, [], ['unit']],
  ['nitroglycerin with sildenafil at home', give('nitroglycerin', 0.4, 'mg', 'SL'), { ...ADULT, homeMedications: ['Sildenafil 50 mg PRN'] }, [], ['interaction']],
  ['nitroglycerin with no recent blood pressure (a note, no override)', give('nitroglycerin', 0.4, 'mg', 'SL'), { ...ADULT, systolicBP: null }, [], ['blood-pressure-unknown']],
  ['a fourth nitroglycerin dose', give('nitroglycerin', 0.4, 'mg', 'SL'), ADULT, [give('nitroglycerin', 0.4, 'mg', 'SL'), give('nitroglycerin', 0.4, 'mg', 'SL'), give('nitroglycerin', 0.4, 'mg', 'SL')], ['above-total']],
  ['a medication outside the formulary (unchecked, a note)', give('Glucagon', 1, 'mg', 'IM'), ADULT, [], ['not-in-formulary']],
  ['a medication outside the formulary the patient is allergic to', give('Glucagon', 1, 'mg', 'IM'), { ...ADULT, allergies: ['glucagon'] }, [], ['allergy', 'not-in-formulary']],
  ['age unknown, 20 kg: dosed as a child', give('ondansetron', 2, 'mg', 'IV'), { ...ADULT, ageYears: null, weightKg: 20 }, [], ['age-unknown']],
  ['age and weight unknown: adult ranges', give('ondansetron', 4, 'mg', 'IV'), { ...ADULT, ageYears: null, weightKg: null }, [], ['age-unknown']],
];

const NOTES_ONLY = new Set(['blood-pressure-unknown', 'not-in-formulary', 'age-unknown']);

describe('medication checks against the built-in formulary', () => {
  it.each(CASES)('%s', (_what, administration, patient, earlier, kinds) => {
    const check = checkAdministration(administration, patient, earlier);
    expect(check.warnings.map((w) => w.kind).sort()).toEqual([...kinds].sort());
    expect(check.needsOverride).toBe(kinds.some((k) => !NOTES_ONLY.has(k)));
  });

  it('states the expected range for the patient and how it was reached', () => {
    const check = checkAdministration(give('epinephrine-1', 0.16, 'mg', 'IM'), child(4, 16));
    expect(check.population).toBe('pediatric');
    expect(check.expected).toEqual([
      { indication: 'anaphylaxis, may repeat after 5-15 min', min: 0.16, max: 0.32, unit: 'mg', basis: '0.01-0.02 mg/kg x 16 kg, max 0.5 mg' },
    ]);
  });

  it('caps a weight-based dose at the adult single dose', () => {
    const [expected] = checkAdministration(give('adenosine', 12, 'mg', 'IV'), child(15, 70)).expected;
    expect(expected).toMatchObject({ min: 7, max: 12 });
  });

  it('adds the case total across routes, converting units', () => {
    const check = checkAdministration(give('naloxone', 0.4, 'mg', 'IV'), ADULT, [give('naloxone', 4, 'mg', 'IN'), give('naloxone', 5, 'mL', 'IM')]);
    expect(check.total).toEqual({ given: 6.4, max: 10, unit: 'mg' });
  });

  it('names a source for every drug and keeps every paediatric per-kg dose under a cap', () => {
    for (const entry of FORMULARY) {
      expect(entry.sources.length, entry.id).toBeGreaterThan(0);
      for (const rule of entry.doses.filter((r) => r.population === 'pediatric' && r.perKg)) expect(rule.maxSingle, `${entry.id}: ${rule.indication}`).toBeDefined();
    }
    expect(FORMULARY.map((e) => e.id)).toEqual([
      'aspirin', 'nitroglycerin', 'epinephrine-0.1', 'epinephrine-1', 'naloxone', 'midazolam', 'fentanyl', 'morphine', 'ondansetron',
      'amiodarone', 'adenosine', 'dextrose-10', 'salbutamol', 'ipratropium', 'ketamine', 'tranexamic-acid', 'oxygen',
    ]);
  });
});

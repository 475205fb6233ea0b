/**
 * The built-in EMS formulary: what the tablet checks a recorded administration against.
 * Pure data. Each dose range names its source; docs/TABLET.md lists them with the checks.
 * These are reference ranges for a second look, not orders: local protocol and medical
 * control decide, which is why any warning can be overridden with a stated reason.
 */

/** Routes as the crew records them (the FHIR mapping codes them, see fhir/care.ts). */
export const MEDICATION_ROUTES = ['PO', 'SL', 'IV', 'IO', 'IM', 'IN', 'NEB', 'INH'] as const;
export type MedicationRoute = (typeof MEDICATION_ROUTES)[number];

export const DOSE_UNITS = ['mg', 'mcg', 'g', 'mL', 'L/min'] as const;
export type DoseUnit = (typeof DOSE_UNITS)[number];

/** The unit a rule's numbers are in; a dose recorded in mL is converted through the concentration. */
export type RuleUnit = 'mg' | 'mcg' | 'g' | 'L/min';

export type Population = 'adult' | 'pediatric';

interface Range {
  readonly min: number;
  readonly max: number;
}

/**
 * One way to give the drug to one population. A pediatric rule is per kg, capped at the adult
 * single dose; an adult rule is a fixed range, optionally per kg when the weight is known.
 */
export interface DoseRule {
  readonly indication: string;
  readonly population: Population;
  readonly routes: readonly MedicationRoute[];
  readonly unit: RuleUnit;
  /** Used when the weight is known (always, for children). */
  readonly perKg?: Range;
  /** Used when there is no perKg, or (adults only) when the weight is unknown. */
  readonly fixed?: Range;
  /** Bounds on a weight-based single dose. */
  readonly minSingle?: number;
  readonly maxSingle?: number;
  /** The most this indication allows over the case, summed over every route; per kg for children when set. */
  readonly maxTotal?: number;
  readonly maxTotalPerKg?: number;
  readonly note?: string;
}

/** Home medication (or recorded condition) terms that make the drug dangerous. */
export interface Interaction {
  readonly homeMedicationTerms: readonly string[];
  readonly text: string;
}

export interface FormularyEntry {
  readonly id: string;
  readonly name: string;
  /** Strength of the presentation carried, when doses may be recorded in mL. */
  readonly mgPerMl?: number;
  readonly presentation?: string;
  /** Allergy words that conflict: the drug's names and its class. */
  readonly allergyTerms: readonly string[];
  readonly interactions?: readonly Interaction[];
  /** Systolic BP below which the drug needs an override (latest device reading). */
  readonly minSystolicBP?: number;
  readonly doses: readonly DoseRule[];
  readonly sources: readonly string[];
}

const NASEMSO = 'NASEMSO National Model EMS Clinical Guidelines, version 3.0 (2022)';
const ACLS = 'Panchal et al., 2020 AHA Guidelines, Adult Basic and Advanced Life Support, Circulation 2020;142:S366';
const PALS = 'Topjian et al., 2020 AHA Guidelines, Pediatric Basic and Advanced Life Support, Circulation 2020;142:S469';
const STEMI = "O'Gara et al., 2013 ACCF/AHA Guideline for the Management of STEMI, Circulation 2013;127:e362";
const WAO = 'Cardona et al., World Allergy Organization Anaphylaxis Guidance 2020, World Allergy Organ J 2020;13:100472';
const NAEPP = 'NAEPP Expert Panel Report 3, Guidelines for the Diagnosis and Management of Asthma (2007), emergency department doses';
const BTS = "O'Driscoll et al., BTS guideline for oxygen use in adults in healthcare and emergency settings, Thorax 2017;72:ii1";

const OPIOID_TERMS = ['opioid', 'opiate', 'narcotic'];

export const FORMULARY: readonly FormularyEntry[] = [
  {
    id: 'aspirin',
    name: 'Aspirin',
    presentation: 'chewable tablets 81 mg / 300-325 mg',
    allergyTerms: ['aspirin', 'asa', 'acetylsalicylic', 'salicylate', 'nsaid'],
    doses: [{ indication: 'suspected acute coronary syndrome (chewed)', population: 'adult', routes: ['PO'], unit: 'mg', fixed: { min: 162, max: 325 }, maxTotal: 325 }],
    sources: [STEMI, NASEMSO],
  },
  {
    id: 'nitroglycerin',
    name: 'Nitroglycerin (glyceryl trinitrate)',
    presentation: '0.4 mg sublingual tablet or spray',
    allergyTerms: ['nitroglycerin', 'glyceryl trinitrate', 'gtn', 'nitrate'],
    interactions: [
      {
        homeMedicationTerms: ['sildenafil', 'tadalafil', 'vardenafil', 'avanafil', 'viagra', 'cialis', 'levitra', 'pde5', 'pde-5', 'riociguat'],
        text: 'phosphodiesterase-5 inhibitor (or riociguat) on the home list: nitrates can cause profound hypotension',
      },
    ],
    minSystolicBP: 90,
    doses: [
      {
        indication: 'ischaemic chest pain, every 5 min',
        population: 'adult',
        routes: ['SL'],
        unit: 'mg',
        fixed: { min: 0.3, max: 0.4 },
        maxTotal: 1.2,
        note: 'up to 3 doses; not with SBP < 90 mmHg or suspected right ventricular infarction',
      },
    ],
    sources: [STEMI, NASEMSO],
  },
  {
    id: 'epinephrine-0.1',
    name: 'Epinephrine 1 mg/10 mL (0.1 mg/mL)',
    mgPerMl: 0.1,
    presentation: '1 mg in 10 mL prefilled syringe',
    allergyTerms: ['epinephrine', 'adrenaline'],
    doses: [
      { indication: 'cardiac arrest, every 3-5 min', population: 'adult', routes: ['IV', 'IO'], unit: 'mg', fixed: { min: 1, max: 1 } },
      { indication: 'cardiac arrest, every 3-5 min (0.1 mL/kg)', population: 'pediatric', routes: ['IV', 'IO'], unit: 'mg', perKg: { min: 0.01, max: 0.01 }, maxSingle: 1 },
    ],
    sources: [ACLS, PALS],
  },
  {
    id: 'epinephrine-1',
    name: 'Epinephrine 1 mg/mL (IM)',
    mgPerMl: 1,
    presentation: '1 mg in 1 mL ampoule, or auto-injector',
    allergyTerms: ['epinephrine', 'adrenaline'],
    doses: [
      { indication: 'anaphylaxis, may repeat after 5-15 min', population: 'adult', routes: ['IM'], unit: 'mg', fixed: { min: 0.3, max: 0.5 } },
      {
        indication: 'anaphylaxis, may repeat after 5-15 min',
        population: 'pediatric',
        routes: ['IM'],
        unit: 'mg',
        // 0.01 mg/kg is the dose; the upper bound admits the fixed auto-injector doses (0.15 mg from 7.5 kg, 0.3 mg from 15-25 kg).
        perKg: { min: 0.01, max: 0.02 },
        maxSingle: 0.5,
        note: '0.01 mg/kg; auto-injector 0.15 mg (7.5-25 kg) or 0.3 mg (25 kg and over)',
      },
    ],
    sources: [WAO, NASEMSO],
  },
  {
    id: 'naloxone',
    name: 'Naloxone',
    mgPerMl: 0.4,
    presentation: '0.4 mg/mL ampoule; 4 mg nasal spray',
    allergyTerms: ['naloxone', 'narcan'],
    doses: [
      { indication: 'opioid toxicity with respiratory depression, titrated', population: 'adult', routes: ['IV', 'IO', 'IM'], unit: 'mg', fixed: { min: 0.04, max: 2 }, maxTotal: 10 },
      { indication: 'opioid toxicity, nasal', population: 'adult', routes: ['IN'], unit: 'mg', fixed: { min: 2, max: 4 }, maxTotal: 10 },
      { indication: 'opioid toxicity', population: 'pediatric', routes: ['IV', 'IO', 'IM', 'IN'], unit: 'mg', perKg: { min: 0.01, max: 0.1 }, maxSingle: 2, maxTotal: 10 },
    ],
    sources: [NASEMSO, 'Lavonas et al., 2023 AHA Focused Update on the Management of Patients With Cardiac Arrest or Life-Threatening Toxicity Due to Poisoning, Circulation 2023;148:e149'],
  },
  {
    id: 'midazolam',
    name: 'Midazolam',
    mgPerMl: 5,
    presentation: '5 mg/mL',
    allergyTerms: ['midazolam', 'benzodiazepine'],
    doses: [
      { indication: 'status epilepticus, may repeat once', population: 'adult', routes: ['IM', 'IN'], unit: 'mg', fixed: { min: 5, max: 10 }, maxTotal: 20 },
      { indication: 'status epilepticus, may repeat once', population: 'adult', routes: ['IV', 'IO'], unit: 'mg', fixed: { min: 2.5, max: 5 }, maxTotal: 10 },
      { indication: 'status epilepticus', population: 'pediatric', routes: ['IM', 'IN'], unit: 'mg', perKg: { min: 0.1, max: 0.2 }, maxSingle: 10 },
      { indication: 'status epilepticus', population: 'pediatric', routes: ['IV', 'IO'], unit: 'mg', perKg: { min: 0.05, max: 0.1 }, maxSingle: 5 },
    ],
    sources: [NASEMSO, 'Silbergleit et al. (RAMPART), N Engl J Med 2012;366:591', 'Glauser et al., AES guideline for convulsive status epilepticus, Epilepsy Curr 2016;16:48'],
  },
  {
    id: 'fentanyl',
    name: 'Fentanyl',
    mgPerMl: 0.05,
    presentation: '50 mcg/mL',
    allergyTerms: ['fentanyl', ...OPIOID_TERMS],
    doses: [
      { indication: 'moderate to severe pain, may repeat every 5-10 min', population: 'adult', routes: ['IV', 'IO', 'IM'], unit: 'mcg', fixed: { min: 25, max: 100 }, maxTotal: 300 },
      { indication: 'moderate to severe pain, nasal', population: 'adult', routes: ['IN'], unit: 'mcg', fixed: { min: 50, max: 100 }, maxTotal: 300 },
      { indication: 'moderate to severe pain', population: 'pediatric', routes: ['IV', 'IO', 'IM'], unit: 'mcg', perKg: { min: 0.5, max: 1 }, maxSingle: 100 },
      { indication: 'moderate to severe pain, nasal', population: 'pediatric', routes: ['IN'], unit: 'mcg', perKg: { min: 1, max: 2 }, maxSingle: 100 },
    ],
    sources: [NASEMSO, 'Borland et al., intranasal fentanyl for acute pain in children, Ann Emerg Med 2007;49:335'],
  },
  {
    id: 'morphine',
    name: 'Morphine',
    mgPerMl: 10,
    presentation: '10 mg/mL',
    allergyTerms: ['morphine', ...OPIOID_TERMS],
    minSystolicBP: 90,
    doses: [
      { indication: 'moderate to severe pain, titrated', population: 'adult', routes: ['IV', 'IO', 'IM'], unit: 'mg', fixed: { min: 2, max: 10 }, maxTotal: 20 },
      { indication: 'moderate to severe pain', population: 'pediatric', routes: ['IV', 'IO', 'IM'], unit: 'mg', perKg: { min: 0.05, max: 0.1 }, maxSingle: 5 },
    ],
    sources: [NASEMSO],
  },
  {
    id: 'ondansetron',
    name: 'Ondansetron',
    mgPerMl: 2,
    presentation: '2 mg/mL; 4 mg orally disintegrating tablet',
    allergyTerms: ['ondansetron', 'zofran', 'setron'],
    doses: [
      { indication: 'nausea or vomiting', population: 'adult', routes: ['IV', 'IM', 'PO'], unit: 'mg', fixed: { min: 4, max: 8 }, maxTotal: 8 },
      { indication: 'nausea or vomiting (6 months and over)', population: 'pediatric', routes: ['IV', 'IM', 'PO'], unit: 'mg', perKg: { min: 0.1, max: 0.15 }, maxSingle: 4 },
    ],
    sources: [NASEMSO, 'Zofran (ondansetron) prescribing information, FDA label'],
  },
  {
    id: 'amiodarone',
    name: 'Amiodarone',
    mgPerMl: 50,
    presentation: '50 mg/mL',
    allergyTerms: ['amiodarone', 'iodine'],
    doses: [
      { indication: 'shock-refractory VF/pulseless VT: 300 mg, then 150 mg', population: 'adult', routes: ['IV', 'IO'], unit: 'mg', fixed: { min: 150, max: 300 }, maxTotal: 450 },
      { indication: 'shock-refractory VF/pulseless VT, up to 3 doses', population: 'pediatric', routes: ['IV', 'IO'], unit: 'mg', perKg: { min: 5, max: 5 }, maxSingle: 300, maxTotalPerKg: 15 },
    ],
    sources: [ACLS, PALS],
  },
  {
    id: 'adenosine',
    name: 'Adenosine',
    mgPerMl: 3,
    presentation: '3 mg/mL, rapid push with flush',
    allergyTerms: ['adenosine'],
    doses: [
      { indication: 'stable narrow-complex SVT: 6 mg, then 12 mg', population: 'adult', routes: ['IV', 'IO'], unit: 'mg', fixed: { min: 6, max: 12 }, maxTotal: 30 },
      { indication: 'SVT: 0.1 mg/kg (max 6 mg), then 0.2 mg/kg (max 12 mg)', population: 'pediatric', routes: ['IV', 'IO'], unit: 'mg', perKg: { min: 0.1, max: 0.2 }, maxSingle: 12 },
    ],
    sources: [ACLS, PALS],
  },
  {
    id: 'dextrose-10',
    name: 'Dextrose 10% (D10)',
    mgPerMl: 100,
    presentation: '100 mg/mL (10 g per 100 mL)',
    allergyTerms: ['dextrose', 'glucose'],
    doses: [
      { indication: 'hypoglycaemia, titrated in 5-10 g steps', population: 'adult', routes: ['IV', 'IO'], unit: 'g', fixed: { min: 5, max: 25 }, maxTotal: 50 },
      { indication: 'hypoglycaemia: 0.5-1 g/kg (5-10 mL/kg), titrated', population: 'pediatric', routes: ['IV', 'IO'], unit: 'g', perKg: { min: 0.2, max: 1 }, maxSingle: 25 },
    ],
    sources: [NASEMSO, PALS],
  },
  {
    id: 'salbutamol',
    name: 'Salbutamol (albuterol)',
    presentation: '2.5 mg / 5 mg nebules',
    allergyTerms: ['salbutamol', 'albuterol', 'ventolin'],
    doses: [
      { indication: 'bronchospasm, may repeat every 20 min', population: 'adult', routes: ['NEB'], unit: 'mg', fixed: { min: 2.5, max: 5 } },
      { indication: 'bronchospasm, may repeat every 20 min', population: 'pediatric', routes: ['NEB'], unit: 'mg', perKg: { min: 0.15, max: 0.15 }, minSingle: 2.5, maxSingle: 5 },
    ],
    sources: [NAEPP, NASEMSO],
  },
  {
    id: 'ipratropium',
    name: 'Ipratropium bromide',
    presentation: '0.5 mg / 2.5 mL nebule',
    allergyTerms: ['ipratropium', 'atrovent', 'atropine'],
    doses: [
      { indication: 'severe bronchospasm, with salbutamol', population: 'adult', routes: ['NEB'], unit: 'mg', fixed: { min: 0.5, max: 0.5 }, maxTotal: 1.5 },
      { indication: 'severe bronchospasm, with salbutamol', population: 'pediatric', routes: ['NEB'], unit: 'mg', fixed: { min: 0.25, max: 0.5 }, maxTotal: 1.5 },
    ],
    sources: [NAEPP, NASEMSO],
  },
  {
    id: 'ketamine',
    name: 'Ketamine',
    mgPerMl: 50,
    presentation: '50 mg/mL',
    allergyTerms: ['ketamine'],
    doses: [
      { indication: 'analgesia (sub-dissociative), IV over 10 min', population: 'adult', routes: ['IV', 'IO'], unit: 'mg', perKg: { min: 0.1, max: 0.3 }, fixed: { min: 10, max: 30 }, maxSingle: 30 },
      { indication: 'analgesia, nasal', population: 'adult', routes: ['IN'], unit: 'mg', perKg: { min: 0.5, max: 1 }, fixed: { min: 35, max: 100 }, maxSingle: 100 },
      { indication: 'severe agitation', population: 'adult', routes: ['IM'], unit: 'mg', perKg: { min: 2, max: 5 }, fixed: { min: 150, max: 400 }, maxSingle: 500 },
      { indication: 'analgesia (sub-dissociative)', population: 'pediatric', routes: ['IV', 'IO'], unit: 'mg', perKg: { min: 0.1, max: 0.3 }, maxSingle: 30 },
      { indication: 'analgesia, nasal', population: 'pediatric', routes: ['IN'], unit: 'mg', perKg: { min: 0.5, max: 1 }, maxSingle: 100 },
    ],
    sources: [NASEMSO, 'ACEP policy: Use of ketamine for analgesia and sedation in prehospital care (2022)'],
  },
  {
    id: 'tranexamic-acid',
    name: 'Tranexamic acid (TXA)',
    mgPerMl: 100,
    presentation: '1 g in 10 mL',
    allergyTerms: ['tranexamic', 'txa', 'cyklokapron'],
    doses: [
      { indication: 'major haemorrhage within 3 h of injury, over 10 min', population: 'adult', routes: ['IV', 'IO'], unit: 'g', fixed: { min: 1, max: 2 }, maxTotal: 2 },
      { indication: 'major haemorrhage within 3 h of injury', population: 'pediatric', routes: ['IV', 'IO'], unit: 'g', perKg: { min: 0.01, max: 0.015 }, maxSingle: 1, maxTotal: 2 },
    ],
    sources: ['CRASH-2 collaborators, Lancet 2010;376:23', 'CRASH-3 collaborators, Lancet 2019;394:1713', 'Royal College of Paediatrics and Child Health, Major trauma and the use of tranexamic acid in children (2012)'],
  },
  {
    id: 'oxygen',
    name: 'Oxygen',
    allergyTerms: [],
    doses: [
      { indication: 'hypoxaemia, titrated to SpO2 94-98 % (88-92 % if at risk of hypercapnia)', population: 'adult', routes: ['INH'], unit: 'L/min', fixed: { min: 1, max: 15 } },
      { indication: 'hypoxaemia, titrated to SpO2 94-98 %', population: 'pediatric', routes: ['INH'], unit: 'L/min', fixed: { min: 0.5, max: 15 } },
    ],
    sources: [BTS, PALS],
  },
];

export function formularyEntry(id: string): FormularyEntry | undefined {
  return FORMULARY.find((entry) => entry.id === id);
}

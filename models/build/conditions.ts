/** Output label sets of the model: ESI triage levels and the condition classes with their specialty. */
export const SPECIALTIES = [
  'cardiology', 'emergency', 'neurology', 'pulmonology', 'gastroenterology',
  'orthopedics', 'dermatology', 'psychiatry', 'pediatrics',
] as const;
export type Specialty = (typeof SPECIALTIES)[number];

export interface ConditionLabel {
  readonly id: string;
  readonly display: string;
  readonly specialty: Specialty;
}

const label = (id: string, display: string, specialty: Specialty): ConditionLabel => ({ id, display, specialty });

/** Order is the order of `condition_logits` columns. */
export const CONDITIONS: readonly ConditionLabel[] = [
  label('stemi', 'ST-elevation myocardial infarction', 'cardiology'),
  label('acs_nstemi', 'Acute coronary syndrome without ST elevation', 'cardiology'),
  label('arrhythmia', 'Arrhythmia / syncope', 'cardiology'),
  label('heart_failure', 'Acute heart failure', 'cardiology'),
  label('sepsis', 'Sepsis', 'emergency'),
  label('hemorrhagic_shock', 'Haemorrhagic shock', 'emergency'),
  label('stroke', 'Stroke', 'neurology'),
  label('seizure', 'Seizure', 'neurology'),
  label('head_injury', 'Head injury', 'neurology'),
  label('respiratory_distress', 'Respiratory distress', 'pulmonology'),
  label('asthma_copd', 'Asthma / COPD exacerbation', 'pulmonology'),
  label('pneumonia', 'Pneumonia', 'pulmonology'),
  label('opioid_overdose', 'Opioid overdose', 'emergency'),
  label('hypoglycemia', 'Hypoglycaemia', 'emergency'),
  label('hypothermia', 'Hypothermia', 'emergency'),
  label('anaphylaxis', 'Anaphylaxis / allergic reaction', 'emergency'),
  label('fracture_trauma', 'Fracture / limb trauma', 'orthopedics'),
  label('gi_bleed', 'Gastrointestinal bleed', 'gastroenterology'),
  label('psychiatric_crisis', 'Psychiatric crisis', 'psychiatry'),
  label('skin_burn', 'Burn / skin condition', 'dermatology'),
  label('pediatric_respiratory', 'Paediatric croup / bronchiolitis', 'pediatrics'),
  label('none_other', 'None of the above / other', 'emergency'),
];

export const CONDITION_COUNT = CONDITIONS.length;

export const conditionIndex = (id: string): number => {
  const index = CONDITIONS.findIndex((c) => c.id === id);
  if (index < 0) throw new Error(`unknown condition ${id}`);
  return index;
};

/** Order is the order of `triage_logits` columns: column k is ESI k+1. */
export const ESI_LEVELS = [
  { esi: 1, name: 'resuscitation', meaning: 'needs an immediate life-saving intervention' },
  { esi: 2, name: 'emergent', meaning: 'high-risk situation, confused/lethargic/severe pain, or danger-zone vitals' },
  { esi: 3, name: 'urgent', meaning: 'stable, expected to need two or more resources' },
  { esi: 4, name: 'less_urgent', meaning: 'stable, expected to need one resource' },
  { esi: 5, name: 'non_urgent', meaning: 'stable, expected to need no resources' },
] as const;

export type Esi = 1 | 2 | 3 | 4 | 5;

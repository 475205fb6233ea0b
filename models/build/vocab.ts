/**
 * The clinical WordPiece vocabulary: special tokens, single characters (so any word can still be
 * spelled out), common clinical suffix pieces, every word of the complaint templates and a list of
 * frequent pre-hospital terms. Built deterministically; its line order is the token id.
 */
import { HISTORY, OPENERS } from './complaint-text.js';
import { CONDITION_PATTERNS } from './presentations.js';
import { SPECIAL_TOKENS, basicTokenize } from './tokenizer.js';

const CLINICAL_TERMS = `
abdomen abdominal abrasion abscess accident acute addiction aggressive airway alert allergy amputation analgesia aneurysm angina
ankle anxious aorta apnea apnoea arm arrest aspiration assault asthma ataxia atrial back bedbound bite bleed bleeding blister
blood blurred bradycardia brain breath breathing breathless broken bruise bruising burn bypass cardiac catheter cellulitis chest child
chills choking chronic clammy clot cold collapse collapsed coma confused confusion congestion constipation contusion copd cough cramp
croup crush cut cyanosis cyanotic dehydrated dehydration delirium dementia depressed depression diabetes diabetic dialysis diarrhea
diarrhoea diaphoresis dislocation dizziness dizzy drowning drowsy drug drunk dysarthria dyspnea dyspnoea ear ecg edema elderly
electrocution embolism epilepsy epistaxis exhausted eye face facial faint fainting fall fatigue febrile fever fit flank flu foot
fracture gasping groin hallucinations hand head headache heart heat hematemesis hemorrhage hip hives hypertension hypotension
hypoxia inhaler injury insulin intoxicated intoxication itching jaundice jaw kidney knee labour laceration leg lethargic lethargy
limb limp lip lungs melena migraine miscarriage nausea neck nosebleed numbness overdose oxygen pain pale palpitations paralysis
pelvis pinpoint pneumonia poisoning pregnancy pressure pulse rash rectal respiratory rib rigors seizure sepsis septic shock
shoulder sick sob spine sputum stab stiff stomach stridor stroke sugar suicidal swallowing sweating sweaty swelling syncope
tachycardia temperature thigh throat tingling toddler trauma tremor unconscious unresponsive urine vertigo vision vomit vomiting
weak weakness wheeze wheezing wound wrist yesterday today hours minutes days week weeks month months year years old man woman boy
girl baby infant male female patient pt no not yes left right both sudden severe mild moderate worse better since after before
while during on off in at to of for from by the a an is was has had have with without and or but
`;

const SUFFIX_PIECES = ['s', 'es', 'ed', 'ing', 'ly', 'er', 'ness', 'itis', 'emia', 'aemia', 'algia', 'ectomy', 'ation', 'tion',
  'ic', 'al', 'ous', 'ia', 'ism', 'osis', 'pathy', 'ful', 'less', 'able', 'ment', 'y', 'ies'];

const LETTERS = 'abcdefghijklmnopqrstuvwxyz'.split('');
const DIGITS = '0123456789'.split('');
const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'.split('');

function templateWords(): string[] {
  const texts = [
    ...CONDITION_PATTERNS.flatMap((c) => c.presentations.flatMap((p) => p.phrases)),
    ...OPENERS, ...HISTORY, CLINICAL_TERMS,
  ];
  return texts.flatMap((t) => basicTokenize(t));
}

export function buildClinicalVocabulary(): string[] {
  const singles = new Set([...PUNCTUATION, ...DIGITS, ...LETTERS]);
  const words = [...new Set(templateWords())].filter((w) => !singles.has(w)).sort();
  const pieces = [...new Set([...DIGITS, ...LETTERS, ...SUFFIX_PIECES])].map((p) => `##${p}`).sort();
  return [SPECIAL_TOKENS.pad, SPECIAL_TOKENS.unk, SPECIAL_TOKENS.cls, SPECIAL_TOKENS.sep, ...PUNCTUATION, ...DIGITS, ...LETTERS, ...words, ...pieces];
}

export const vocabularyText = (vocab: readonly string[]): string => `${vocab.join('\n')}\n`;

/** Free-text chief complaints as a crew would type or dictate them, composed from presentation phrases. */
import type { Random } from './prng.js';
import type { Presentation } from './presentations.js';

export const OPENERS = ['', '', 'patient with', 'pt c/o', 'complains of', 'caller reports', 'bystander says', 'family states', 'called for'];
export const HISTORY = [
  'history of diabetes', 'history of hypertension', 'on blood thinners', 'no known allergies', 'smoker',
  'history of copd', 'lives alone', 'recent surgery', 'pregnant', 'alcohol involved', 'takes aspirin daily',
];
const CONNECTORS = [', ', ' and ', '. ', ' also '];

function agePhrase(random: Random, ageYears: number, sex: 'male' | 'female'): string {
  if (ageYears < 2) return `${Math.max(1, Math.round(ageYears * 12))} month old baby`;
  const noun = ageYears < 16 ? (sex === 'male' ? 'boy' : 'girl') : random.pick(sex === 'male' ? ['man', 'male'] : ['woman', 'female']);
  return `${Math.round(ageYears)} year old ${noun}`;
}

/** Drops a few words so the model does not rely on one exact phrasing. */
function dropWords(random: Random, text: string, rate: number): string {
  const words = text.split(' ');
  const kept = words.filter(() => !random.chance(rate));
  return kept.length > 0 ? kept.join(' ') : text;
}

export function composeComplaint(random: Random, presentation: Presentation, ageYears: number, sex: 'male' | 'female'): string {
  const parts: string[] = [];
  const opener = random.pick(OPENERS);
  if (random.chance(0.35)) parts.push(`${agePhrase(random, ageYears, sex)} with`);
  else if (opener !== '') parts.push(opener);
  const first = random.pick(presentation.phrases);
  let body = first;
  if (presentation.phrases.length > 1 && random.chance(0.4)) {
    const second = random.pick(presentation.phrases.filter((p) => p !== first));
    body += random.pick(CONNECTORS) + second;
  }
  parts.push(body);
  if (random.chance(0.3)) parts.push(`, ${random.pick(HISTORY)}`);
  return dropWords(random, parts.join(' ').replace(' ,', ','), 0.05);
}

import type { Coding } from '@medplum/fhirtypes';
import type { EsiLevel } from '../clinical/index.js';
import { LOINC } from './systems.js';

/** LOINC 75636-1 "Emergency severity index [ESI]" and its answer list (LOINC LA codes, ESI-1..ESI-5). */
export const ESI_OBSERVATION_CODE: Coding = { system: LOINC, code: '75636-1', display: 'Emergency severity index [ESI]' };

const ESI_ANSWERS: Readonly<Record<EsiLevel, string>> = {
  1: 'LA21567-5',
  2: 'LA21752-3',
  3: 'LA21753-1',
  4: 'LA21754-9',
  5: 'LA21755-6',
};

export function esiCoding(level: EsiLevel): Coding {
  return { system: LOINC, code: ESI_ANSWERS[level], display: `ESI-${level}` };
}

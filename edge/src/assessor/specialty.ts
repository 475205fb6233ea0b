/** What the case tells about which specialty's adapter should read it. */
export interface SpecialtyFindings {
  /** The monitor raised a rhythm flag (STEMI, VT, AF, ...) on this case at any time. */
  readonly rhythmFlagged: boolean;
  readonly complaint: string | null;
}

/** The adapter for a case that points nowhere in particular, and the fallback for one not served. */
export const DEFAULT_SPECIALTY = 'emergency';

/** Chief-complaint wording that points to a specialty; the first match wins. */
const COMPLAINT_SPECIALTIES: ReadonlyArray<readonly [specialty: string, pattern: RegExp]> = [
  ['cardiology', /\bchest (pain|tightness|pressure)|\bpalpitation|\bangina\b|\bcardiac\b/i],
  ['neurology', /\bstroke\b|\bseizure|\bfacial droop|\bslurred\b|\bone-sided weakness/i],
  ['pulmonology', /\bshort(ness)? of breath|\bbreathless|\bdyspn(o)?ea|\basthma\b|\bwheez|\bcopd\b/i],
];

/**
 * The specialty adapter for an automatic assessment: cardiology after a rhythm flag (the monitor
 * has seen a heart problem whatever the complaint says), else the first specialty the complaint
 * points to, else emergency. A choice no adapter serves falls back to emergency, then to the base
 * model (undefined), so a missing adapter never stops the assessment.
 */
export function chooseSpecialty(findings: SpecialtyFindings, served: ReadonlySet<string>): string | undefined {
  const wanted = findings.rhythmFlagged ? 'cardiology' : fromComplaint(findings.complaint);
  if (served.has(wanted)) return wanted;
  return served.has(DEFAULT_SPECIALTY) ? DEFAULT_SPECIALTY : undefined;
}

function fromComplaint(complaint: string | null): string {
  if (!complaint) return DEFAULT_SPECIALTY;
  return COMPLAINT_SPECIALTIES.find(([, pattern]) => pattern.test(complaint))?.[0] ?? DEFAULT_SPECIALTY;
}

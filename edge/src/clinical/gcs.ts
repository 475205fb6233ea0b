import type { GcsInput } from './input.js';

/**
 * Glasgow Coma Scale (Teasdale & Jennett, Lancet 1974): eye 1-4, verbal 1-5, motor 1-6,
 * total 3-15. Severity bands as used for head injury (ATLS): 13-15 mild, 9-12 moderate,
 * 3-8 severe. The parts are range-checked by parseScoreInput.
 */
export type GcsSeverity = 'mild' | 'moderate' | 'severe';

export interface GcsResult {
  eye: number;
  verbal: number;
  motor: number;
  total: number;
  severity: GcsSeverity;
}

export function scoreGcs({ eye, verbal, motor }: GcsInput): GcsResult {
  const total = eye + verbal + motor;
  return { eye, verbal, motor, total, severity: severityOf(total) };
}

function severityOf(total: number): GcsSeverity {
  if (total <= 8) return 'severe';
  if (total <= 12) return 'moderate';
  return 'mild';
}

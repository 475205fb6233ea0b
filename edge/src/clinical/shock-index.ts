import { roundHalfUp, type BandedVitals } from './vitals.js';

/**
 * Shock index = heart rate / systolic BP (Allgöwer & Burri 1967).
 * Adults: elevated at >= 0.9 (Rady et al., Ann Emerg Med 1994;24:685 — SI > 0.9 flagged
 * critical illness; Cannon et al., J Trauma 2009;67:1426 — SI > 0.9 and trauma mortality).
 * Critical at >= 1.3 as the issue specifies; it lies inside class III "moderate shock"
 * (1.0 to < 1.4) of Mutschler et al., Crit Care 2013;17:R172, where a third of trauma patients
 * needed massive transfusion.
 * Children: SIPA, shock index paediatric age-adjusted (Acker et al., J Pediatr Surg
 * 2015;50:331): > 1.22 at 4-6 y, > 1.0 at 7-12 y, > 0.9 at 13-16 y (used here up to 17 y).
 * SIPA was not validated under 4 years, so no threshold is claimed there.
 */
export type ShockIndexBasis = 'adult' | 'age-unknown-adult-thresholds' | 'sipa-4-6' | 'sipa-7-12' | 'sipa-13-17' | 'under-4-not-validated';

export interface ShockIndexResult {
  /** HR / SBP to two decimals; the thresholds are compared against this value. */
  value: number;
  threshold: number | null;
  /** `>=` for adults, `>` for SIPA, as each source defines it. */
  comparison: '>=' | '>' | null;
  /** null when no validated threshold exists for the age (not "normal"). */
  elevated: boolean | null;
  /** Adults only (>= 1.3); null for children. */
  critical: boolean | null;
  basis: ShockIndexBasis;
}

const ADULT_ELEVATED = 0.9;
const ADULT_CRITICAL = 1.3;

interface Cutoff {
  basis: ShockIndexBasis;
  threshold: number | null;
  comparison: '>=' | '>' | null;
}

export function computeShockIndex({ heartRate, systolicBP, ageYears }: BandedVitals): ShockIndexResult | null {
  if (heartRate === undefined || systolicBP === undefined) return null;
  const value = roundHalfUp(heartRate / systolicBP, 2);
  const cutoff = cutoffFor(ageYears);
  const adult = cutoff.basis === 'adult' || cutoff.basis === 'age-unknown-adult-thresholds';
  return {
    value,
    ...cutoff,
    elevated: exceeds(value, cutoff),
    critical: adult ? value >= ADULT_CRITICAL : null,
  };
}

// Unknown age falls back to adult thresholds: 0.9 is the lowest SIPA/adult cut-off from 4 years
// up, so the fallback over-flags rather than misses in children of that age.
function cutoffFor(ageYears: number | undefined): Cutoff {
  if (ageYears === undefined) return { basis: 'age-unknown-adult-thresholds', threshold: ADULT_ELEVATED, comparison: '>=' };
  if (ageYears >= 18) return { basis: 'adult', threshold: ADULT_ELEVATED, comparison: '>=' };
  if (ageYears >= 13) return { basis: 'sipa-13-17', threshold: 0.9, comparison: '>' };
  if (ageYears >= 7) return { basis: 'sipa-7-12', threshold: 1.0, comparison: '>' };
  if (ageYears >= 4) return { basis: 'sipa-4-6', threshold: 1.22, comparison: '>' };
  return { basis: 'under-4-not-validated', threshold: null, comparison: null };
}

function exceeds(value: number, { threshold, comparison }: Cutoff): boolean | null {
  if (threshold === null) return null;
  return comparison === '>=' ? value >= threshold : value > threshold;
}

import type { GcsResult } from './gcs.js';
import type { BandedVitals } from './vitals.js';

/**
 * qSOFA (Seymour et al., JAMA 2016;315:762; Sepsis-3): one point each for respiratory rate
 * >= 22/min, altered mentation (GCS < 15, or ACVPU other than A), systolic BP <= 100 mmHg.
 * Positive at 2 or more. A criterion that cannot be judged is null, never false.
 */
export interface QsofaResult {
  score: number;
  positive: boolean;
  /** Some criteria could not be judged; the score is then a lower bound. */
  partial: boolean;
  criteria: {
    respiratoryRate: boolean | null;
    alteredMentation: boolean | null;
    systolicBP: boolean | null;
  };
}

export function scoreQsofa(vitals: BandedVitals, gcs: GcsResult | null): QsofaResult {
  const criteria = {
    respiratoryRate: vitals.respiratoryRate === undefined ? null : vitals.respiratoryRate >= 22,
    alteredMentation: alteredMentation(vitals, gcs),
    systolicBP: vitals.systolicBP === undefined ? null : vitals.systolicBP <= 100,
  };
  const values = Object.values(criteria);
  const score = values.filter((met) => met === true).length;
  return { score, positive: score >= 2, partial: values.includes(null), criteria };
}

// Either observation showing an alteration is enough; "not altered" needs one that shows none.
function alteredMentation({ consciousness }: BandedVitals, gcs: GcsResult | null): boolean | null {
  const byAcvpu = consciousness === undefined ? null : consciousness !== 'A';
  const byGcs = gcs === null ? null : gcs.total < 15;
  if (byAcvpu === true || byGcs === true) return true;
  if (byAcvpu === false || byGcs === false) return false;
  return null;
}

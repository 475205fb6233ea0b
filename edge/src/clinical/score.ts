import { deriveAcuity, type AcuityResult } from './acuity.js';
import { screenBeFast, type BeFastResult } from './be-fast.js';
import { scoreGcs, type GcsResult } from './gcs.js';
import { parseScoreInput, type ScoreInput } from './input.js';
import { scoreNews2, type News2Result } from './news2.js';
import { assessPediatric, isPediatric, type PediatricResult } from './pediatric.js';
import { scoreQsofa, type QsofaResult } from './qsofa.js';
import { computeShockIndex, type ShockIndexResult } from './shock-index.js';
import { bandVitals } from './vitals.js';

/** Plain JSON: absent parts are null, never undefined, so the shape is the same every time. */
export interface ScoreResult {
  news2: News2Result;
  shockIndex: ShockIndexResult | null;
  qsofa: QsofaResult;
  gcs: GcsResult | null;
  pediatric: PediatricResult | null;
  beFast: BeFastResult | null;
  acuity: AcuityResult;
}

/**
 * All scores from one set of vitals. Deterministic and side-effect free. The input is
 * validated again (INPUT_INVALID) so that a caller building ScoreInput in code cannot get a
 * score for an impossible reading.
 */
export function scoreVitals(input: ScoreInput): ScoreResult {
  const checked = parseScoreInput(input);
  const vitals = bandVitals(checked);
  const news2 = scoreNews2(vitals);
  const gcs = checked.gcs ? scoreGcs(checked.gcs) : null;
  const beFast = checked.beFast ? screenBeFast(checked.beFast) : null;
  const ageYears = vitals.ageYears;
  return {
    news2,
    shockIndex: computeShockIndex(vitals),
    qsofa: scoreQsofa(vitals, gcs),
    gcs,
    pediatric: isPediatric(ageYears) ? assessPediatric({ ...vitals, ageYears }) : null,
    beFast,
    acuity: deriveAcuity({
      vitals,
      gcs,
      news2,
      beFast,
      painScore: checked.painScore,
      highRiskSituation: checked.highRiskSituation,
      expectedResources: checked.expectedResources,
    }),
  };
}

import type { BeFastInput } from './input.js';

/**
 * BE-FAST prehospital stroke screen (Aroor et al., Stroke 2017;48:479): Balance, Eyes, Face,
 * Arm, Speech, Time. Any abnormal item makes the screen positive. An item the crew did not
 * assess is listed, so a negative screen with gaps is reported as partial, not as normal.
 * Time: intravenous thrombolysis is considered up to 4.5 h from last known well
 * (AHA/ASA acute ischaemic stroke guideline, Powers et al., Stroke 2019;50:e344).
 */
export const BE_FAST_ITEMS = ['balance', 'eyes', 'face', 'arm', 'speech'] as const;
export type BeFastItem = (typeof BE_FAST_ITEMS)[number];

export interface BeFastResult {
  positive: boolean;
  partial: boolean;
  positiveItems: BeFastItem[];
  notAssessed: BeFastItem[];
  lastKnownWellMinutes: number | null;
  /** Last known well within 4.5 h (270 min); null when the time is unknown. */
  withinThrombolysisWindow: boolean | null;
}

const THROMBOLYSIS_WINDOW_MINUTES = 270;

export function screenBeFast(findings: BeFastInput): BeFastResult {
  const positiveItems = BE_FAST_ITEMS.filter((item) => findings[item] === true);
  const notAssessed = BE_FAST_ITEMS.filter((item) => findings[item] === undefined);
  const minutes = findings.lastKnownWellMinutes ?? null;
  return {
    positive: positiveItems.length > 0,
    partial: notAssessed.length > 0,
    positiveItems,
    notAssessed,
    lastKnownWellMinutes: minutes,
    withinThrombolysisWindow: minutes === null ? null : minutes <= THROMBOLYSIS_WINDOW_MINUTES,
  };
}

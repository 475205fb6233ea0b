import type { ScoreInput } from '../clinical/index.js';
import type { InferInput } from '../inference/index.js';
import type { CaseMonitor } from '../monitor/index.js';
import type { Store } from '../store/index.js';
import type { SpecialtyFindings } from './specialty.js';

/** What the assessor reads of the case monitor: the live view, never its state. */
export type CaseView = Pick<CaseMonitor, 'scoreInput' | 'latest'>;

export interface CaseReading {
  /** What the rules score: device vitals, crew findings and the patient's age. */
  readonly rules: ScoreInput;
  /** The model's input: the rules' plus what only the model uses; without a specialty, which is chosen from the findings against the adapters served. */
  readonly input: InferInput;
  readonly findings: SpecialtyFindings;
}

/**
 * The model's input for a case, as the triage card builds it: what the rules see (device vitals
 * and crew findings), the patient's age, the chief complaint, and the two vitals only the model
 * uses (diastolic BP, glucose).
 */
export function readCase(store: Store, monitor: CaseView, caseId: string): CaseReading {
  const record = store.cases.get(caseId);
  const seen = monitor.scoreInput(caseId);
  const rules: ScoreInput = record.patient.ageYears !== null && seen.ageYears === undefined ? { ...seen, ageYears: record.patient.ageYears } : seen;
  const latest = monitor.latest(caseId).vitals;
  const input: InferInput = {
    ...rules,
    ...(record.chiefComplaint ? { complaint: record.chiefComplaint } : {}),
    ...(latest.DBP ? { diastolicBP: latest.DBP.value } : {}),
    ...(latest.GLUCOSE ? { bloodGlucose: latest.GLUCOSE.value } : {}),
  };
  const rhythmFlagged = store.alerts.forCase(caseId).some((alert) => alert.kind === 'rhythm-flag');
  return { rules, input, findings: { rhythmFlagged, complaint: record.chiefComplaint } };
}

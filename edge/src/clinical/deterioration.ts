import { z } from 'zod';
import { Hema3nError, type FieldIssue } from '../errors.js';
import { emptyHistory, judge, remember, type AlertKind, type TrendHistory, type TrendReading, type Verdict } from './trend-conditions.js';
import { fieldIssues, inputInvalid, measure, whole } from './validation.js';

/** What the caller feeds per case; times are epoch milliseconds taken from the monitor. */
export interface TrendObservation {
  at: number;
  news2Total?: number | null;
  spo2?: number | null;
  systolicBP?: number | null;
  /** e.g. 'VF', 'VT', 'AF', 'STEMI'; null = the monitor reports none; absent = not known. */
  rhythmFlag?: string | null;
}

export interface DeteriorationAlert {
  /** Stable: the same observations always give the same id. */
  id: string;
  kind: AlertKind;
  caseId: string;
  raisedAt: number;
  /** Human-readable; parameter names and values only. */
  detail: string;
  /** When a later observation showed the condition gone; null while it lasts. */
  clearedAt: number | null;
  acknowledgedBy: string | null;
  acknowledgedAt: number | null;
}

interface CaseWatch {
  lastAt: number;
  history: TrendHistory;
  /** Alerts whose condition still holds, by condition key: they suppress a repeat. */
  open: Map<string, DeteriorationAlert>;
  alerts: DeteriorationAlert[];
}

const EPOCH_MS = 'must be a time in epoch milliseconds';
const RHYTHM_FLAG = /^[A-Za-z0-9][A-Za-z0-9 _+/-]{0,31}$/;

const ObservationSchema = z.strictObject(
  {
    at: z.number({ error: EPOCH_MS }).min(0, EPOCH_MS),
    news2Total: whole(0, 20).nullish(),
    spo2: measure(0, 100, ' %').nullish(),
    systolicBP: measure(20, 300, ' mmHg').nullish(),
    rhythmFlag: z
      .string({ error: 'must be a short rhythm code such as VF, or null' })
      .trim()
      .regex(RHYTHM_FLAG, 'must be a short rhythm code such as VF, or null')
      .nullish(),
  },
  { error: 'must be an object' },
);

/**
 * Watches each case for deterioration and returns alerts; it neither stores, audits nor pushes
 * them (the caller does). No timers: time comes only from the observations, so replaying the
 * same observations gives the same alerts. A condition alerts once while it lasts, even after
 * acknowledgement; once an observation shows it gone it may alert again when it returns.
 */
export class DeteriorationWatcher {
  readonly #cases = new Map<string, CaseWatch>();
  readonly #alertCase = new Map<string, string>();

  /** Returns the alerts this observation raised (often none). Observations of a case must come in time order. */
  observe(caseId: string, observation: TrendObservation): DeteriorationAlert[] {
    const reading = parseObservation(caseId, observation);
    const watch = this.#cases.get(caseId) ?? { lastAt: reading.at, history: emptyHistory(), open: new Map(), alerts: [] };
    if (reading.at < watch.lastAt) {
      throw inputInvalid('observation', [{ field: 'at', problem: 'is earlier than the previous observation of this case' }]);
    }
    this.#cases.set(caseId, watch);
    const raised: DeteriorationAlert[] = [];
    for (const verdict of judge(watch.history, reading, new Set(watch.open.keys()))) {
      const alert = this.#apply(caseId, watch, verdict, reading.at);
      if (alert) raised.push({ ...alert });
    }
    remember(watch.history, reading);
    watch.lastAt = reading.at;
    return raised;
  }

  /** NOT_FOUND for an unknown id, CONFLICT if already acknowledged (by anyone). */
  acknowledge(alertId: string, crewId: string, at: number): DeteriorationAlert {
    const alert = this.#find(alertId);
    const issues: FieldIssue[] = [];
    if (typeof crewId !== 'string' || crewId.trim() === '') issues.push({ field: 'crewId', problem: 'must be a non-empty string' });
    if (!Number.isFinite(at) || at < alert.raisedAt) issues.push({ field: 'at', problem: 'must be a time not before the alert was raised' });
    if (issues.length > 0) throw inputInvalid('acknowledgement', issues);
    if (alert.acknowledgedAt !== null) throw new Hema3nError('CONFLICT', 'Alert already acknowledged');
    alert.acknowledgedBy = crewId;
    alert.acknowledgedAt = at;
    return { ...alert };
  }

  /** Alerts of the case not yet acknowledged, oldest first, including ones whose condition has cleared. */
  activeAlerts(caseId: string): DeteriorationAlert[] {
    const alerts = this.#cases.get(caseId)?.alerts ?? [];
    return alerts.filter((alert) => alert.acknowledgedAt === null).map((alert) => ({ ...alert }));
  }

  /** Drops a closed case's history and alerts. */
  forgetCase(caseId: string): void {
    for (const alert of this.#cases.get(caseId)?.alerts ?? []) this.#alertCase.delete(alert.id);
    this.#cases.delete(caseId);
  }

  #apply(caseId: string, watch: CaseWatch, verdict: Verdict, at: number): DeteriorationAlert | null {
    const open = watch.open.get(verdict.key);
    if (!verdict.holds) {
      if (open) open.clearedAt = at;
      watch.open.delete(verdict.key);
      return null;
    }
    if (open) return null;
    const alert: DeteriorationAlert = {
      id: this.#newId(caseId, verdict.key, at),
      kind: verdict.kind,
      caseId,
      raisedAt: at,
      detail: verdict.detail,
      clearedAt: null,
      acknowledgedBy: null,
      acknowledgedAt: null,
    };
    watch.open.set(verdict.key, alert);
    watch.alerts.push(alert);
    this.#alertCase.set(alert.id, caseId);
    return alert;
  }

  // Content-derived so a replay yields the same ids; the suffix only separates a condition
  // that cleared and returned within the same millisecond.
  #newId(caseId: string, key: string, at: number): string {
    const base = `${caseId}/${key}/${at}`;
    let id = base;
    for (let n = 2; this.#alertCase.has(id); n += 1) id = `${base}/${n}`;
    return id;
  }

  #find(alertId: string): DeteriorationAlert {
    const caseId = this.#alertCase.get(alertId);
    const alert = caseId === undefined ? undefined : this.#cases.get(caseId)?.alerts.find((candidate) => candidate.id === alertId);
    if (!alert) throw new Hema3nError('NOT_FOUND', 'No such alert');
    return alert;
  }
}

function parseObservation(caseId: string, observation: TrendObservation): TrendReading {
  const issues: FieldIssue[] = [];
  if (typeof caseId !== 'string' || caseId.trim() === '') issues.push({ field: 'caseId', problem: 'must be a non-empty string' });
  const parsed = ObservationSchema.safeParse(observation);
  if (!parsed.success) issues.push(...fieldIssues(parsed.error));
  if (!parsed.success || issues.length > 0) throw inputInvalid('observation', issues);
  const { at, news2Total, spo2, systolicBP, rhythmFlag } = parsed.data;
  return {
    at,
    news2Total: news2Total ?? undefined,
    spo2: spo2 ?? undefined,
    systolicBP: systolicBP ?? undefined,
    rhythmFlag: rhythmFlag === undefined || rhythmFlag === null ? rhythmFlag : rhythmFlag.toUpperCase(),
  };
}

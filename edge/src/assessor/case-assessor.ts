import type { AuditLog } from '../audit/index.js';
import type { EsiLevel } from '../clinical/index.js';
import type { InferenceResult, InferenceService } from '../inference/index.js';
import type { Part } from '../lifecycle/index.js';
import type { CaseLiveEvent, LiveEvents } from '../monitor/index.js';
import { Counter, type Logger, type Registry } from '../observability/index.js';
import type { Store } from '../store/index.js';
import { readCase, type CaseView } from './case-input.js';
import { mergedAcuity, modelAnswer } from './results.js';
import { chooseSpecialty } from './specialty.js';

type ScoresEvent = Extract<CaseLiveEvent, { type: 'scores' }>;

export interface CaseAssessorOptions {
  /** At most one model request per case in this many ms, except when the rules change; 0 turns the assessor off. */
  readonly intervalMs: number;
  readonly store: () => Store;
  readonly audit: () => AuditLog;
  readonly monitor: CaseView;
  readonly live: LiveEvents;
  /** Throws (NOT_READY) while no model is loaded. */
  readonly inference: () => InferenceService;
  readonly logger: Logger;
  readonly metrics: Registry;
  readonly now: () => number;
}

interface CaseState {
  /** The rules the monitor last published for the case: the floor and the trigger. */
  rules: ScoresEvent;
  lastStartedAt: number | null;
  running: Promise<void> | null;
  /** A trigger arrived while a request was in flight; 'now' if it was a change of the rules. */
  rerun: 'now' | 'due' | null;
  /** The run that picks up changes which came inside the interval. */
  timer: ReturnType<typeof setTimeout> | null;
}

/**
 * Asks the model about every case the monitor scores and stores its answer, with the rule floor
 * merged in, as `model` and `merged` assessments (which the sync sends to the cloud as
 * RiskAssessments). Per case: at once when the rule acuity or NEWS2 risk band changes (the
 * monitor has just stored new rules and reset the case's acuity to them), otherwise at most once
 * per interval, a change inside the interval being picked up when it ends; one request in flight.
 * It runs off the monitor's callback, and a failure is logged and counted, never thrown back.
 */
export class CaseAssessor implements Part {
  readonly name = 'assessor';
  private readonly cases = new Map<string, CaseState>();
  private readonly outcomes: Counter<'outcome'>;
  private unsubscribe: (() => void) | null = null;
  private started = false;
  private closed = false;
  private saidNoModel = false;

  constructor(private readonly o: CaseAssessorOptions) {
    this.outcomes = new Counter({
      name: 'hema3n_model_assessments_total',
      help: 'Automatic model assessments by outcome (stored, failed, no_model)',
      labelNames: ['outcome'],
      registers: [o.metrics],
    });
  }

  get ready(): boolean {
    return this.started;
  }

  async start(): Promise<void> {
    if (this.o.intervalMs === 0) this.o.logger.info('automatic model assessments are off (HEMA3N_ASSESS_INTERVAL_MS=0)');
    else this.unsubscribe = this.o.live.subscribeAll((event) => this.observe(event));
    this.started = true;
  }

  /** Stops listening, drops the pending interval runs and waits for the requests in flight to be stored. */
  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe?.();
    this.unsubscribe = null;
    for (const state of this.cases.values()) {
      if (state.timer) clearTimeout(state.timer);
      state.timer = null;
      state.rerun = null;
    }
    await this.settled();
    this.started = false;
  }

  /** Resolves once no request is in flight or queued behind one (interval runs still to come do not count). */
  async settled(): Promise<void> {
    for (let running = this.inFlight(); running.length > 0; running = this.inFlight()) await Promise.all(running);
  }

  describe(): Record<string, unknown> {
    return { intervalMs: this.o.intervalMs, casesFollowed: this.cases.size, inFlight: this.inFlight().length };
  }

  private inFlight(): Array<Promise<void>> {
    return [...this.cases.values()].flatMap((state) => (state.running ? [state.running] : []));
  }

  private observe(event: CaseLiveEvent): void {
    if (event.type !== 'scores') return;
    const state = this.cases.get(event.caseId);
    if (!state) {
      const first: CaseState = { rules: event, lastStartedAt: null, running: null, rerun: null, timer: null };
      this.cases.set(event.caseId, first);
      this.trigger(event.caseId, first, true);
      return;
    }
    const changed = event.acuity.level !== state.rules.acuity.level || event.news2.risk !== state.rules.news2.risk;
    state.rules = event;
    this.trigger(event.caseId, state, changed);
  }

  private trigger(caseId: string, state: CaseState, rulesChanged: boolean): void {
    if (state.running) {
      state.rerun = rulesChanged || state.rerun === 'now' ? 'now' : 'due';
      return;
    }
    const wait = rulesChanged || state.lastStartedAt === null ? 0 : state.lastStartedAt + this.o.intervalMs - this.o.now();
    if (wait <= 0) this.run(caseId, state);
    else state.timer ??= setTimeout(() => this.run(caseId, state), wait);
  }

  private run(caseId: string, state: CaseState): void {
    if (this.closed) return;
    if (state.timer) clearTimeout(state.timer);
    state.timer = null;
    state.lastStartedAt = this.o.now();
    // The next turn, not inside the monitor's callback: reading the case and encoding the input is not the ingest path's work.
    state.running = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.assess(caseId, state))
      .finally(() => {
        state.running = null;
        const rerun = state.rerun;
        state.rerun = null;
        if (rerun && !this.closed) this.trigger(caseId, state, rerun === 'now');
      });
  }

  private async assess(caseId: string, state: CaseState): Promise<void> {
    const service = this.model();
    if (!service) return;
    try {
      const { input, findings } = readCase(this.o.store(), this.o.monitor, caseId);
      const specialty = chooseSpecialty(findings, new Set(service.adapters.list().map((a) => a.specialty)));
      const result = await service.infer(specialty === undefined ? input : { ...input, specialty });
      this.save(caseId, state, result);
      this.outcomes.inc({ outcome: 'stored' });
    } catch (err) {
      this.outcomes.inc({ outcome: 'failed' });
      this.o.logger.warn({ err, case: caseId }, 'automatic model assessment failed; the rule floor stands');
    }
  }

  /** The loaded model, or null (said once per outage in the log). */
  private model(): InferenceService | null {
    try {
      const service = this.o.inference();
      this.saidNoModel = false;
      return service;
    } catch (err) {
      this.outcomes.inc({ outcome: 'no_model' });
      if (!this.saidNoModel) this.o.logger.warn({ err }, 'no model is loaded: no automatic model assessments until one is (the rules are still stored)');
      this.saidNoModel = true;
      return null;
    }
  }

  /**
   * The model's answer and the merged result, the case's acuity (the merged level), the outbox row
   * that updateClinical queues and the audit entry: one transaction, so the cloud hears of all or none.
   */
  private save(caseId: string, state: CaseState, result: InferenceResult): void {
    const store = this.o.store();
    const answer = modelAnswer(result);
    const acuity = mergedAcuity(result, state.rules.acuity.level as EsiLevel);
    const { total, risk, partial } = state.rules.news2;
    // After the rules assessment it builds on (stored at device time), so the newest ESI is the merged one.
    const at = Math.max(this.o.now(), state.rules.at + 1);
    store.transaction(() => {
      // The model's own level stays in its result, not its acuity: every ESI that leaves the box respects the floor.
      store.assessments.add({ caseId, source: 'model', acuity: null, result: answer, createdAt: at });
      const merged = store.assessments.add({ caseId, source: 'merged', acuity: acuity.level, result: { ...answer, news2: { total, risk, partial }, acuity }, createdAt: at });
      store.cases.updateClinical(caseId, { acuity: acuity.level }, at);
      this.o.audit().append({ actor: 'system', action: 'assessment.model', resource: `case/${caseId}/assessment/${merged.id}`, reason: modelText(result) });
    });
    // The tablet shows the acuity dispatch sees: when the model raised it, the rules' live score alone would not say so.
    const [top] = answer.conditions;
    this.o.live.publish({
      type: 'assessment',
      caseId,
      at,
      acuity: { level: acuity.level, ruleLevel: acuity.ruleLevel, raisedByModel: acuity.level < acuity.ruleLevel },
      topCondition: top ? { label: top.label, probability: top.probability } : null,
    });
  }
}

/** E.g. "hema3n-core 0.1.0-reference; adapter cardiology 1.0.0": ids and versions, no patient data. */
function modelText(result: InferenceResult): string {
  const adapter = result.adapter ? `adapter ${result.adapter.specialty} ${result.adapter.version}` : 'base model';
  return `${result.model.id} ${result.model.version}; ${adapter}`;
}

import { DeteriorationWatcher, scoreVitals, type DeteriorationAlert, type ScoreInput, type ScoreResult } from '../clinical/index.js';
import type { AuditLog } from '../audit/index.js';
import type { IngestEvents, VitalsAccepted, WaveformAccepted } from '../ingest/index.js';
import type { Logger } from '../observability/index.js';
import type { Store } from '../store/index.js';
import { LatestVitals } from './latest-vitals.js';
import type { LiveEvents } from './live-events.js';

interface CaseState {
  readonly latest: LatestVitals;
  lastAt: number;
  lastAcuity: number | null;
  lastRisk: string | null;
  lastNews2: number | null;
  crew: Partial<ScoreInput>;
}

const OWNER = 'case-monitor';

/** Rhythms a crew must be told about; sinus rhythms (and paced) are what a monitor reports when all is well. */
const NON_ALARM_RHYTHMS: ReadonlySet<string> = new Set(['SINUS', 'SINUS_TACHY', 'SINUS_BRADY', 'PACED']);

function alarmRhythm(rhythm: string): string | null {
  return NON_ALARM_RHYTHMS.has(rhythm) ? null : rhythm;
}

/**
 * Follows every active case as device data commits: keeps the latest vitals, re-scores the
 * rules, watches trends, persists and audits alerts, and pushes all of it to the live stream.
 */
export class CaseMonitor {
  readonly name = 'monitor';
  private readonly watcher = new DeteriorationWatcher();
  private readonly cases = new Map<string, CaseState>();
  private started = false;

  constructor(
    private readonly deps: {
      readonly store: () => Store;
      readonly audit: () => AuditLog;
      readonly ingest: IngestEvents;
      readonly live: LiveEvents;
      readonly logger: Logger;
      readonly now: () => number;
    },
  ) {}

  get ready(): boolean {
    return this.started;
  }

  async start(): Promise<void> {
    this.deps.ingest.on(OWNER, 'vitals', (v) => this.onVitals(v));
    this.deps.ingest.on(OWNER, 'waveform', (w) => this.onWaveform(w));
    this.deps.ingest.on(OWNER, 'status', (s) => this.deps.live.publish({ type: 'device', ...s }));
    this.started = true;
  }

  async close(): Promise<void> {
    this.deps.ingest.removeOwner(OWNER);
    this.started = false;
  }

  describe(): Record<string, unknown> {
    return { casesFollowed: this.cases.size };
  }

  /** Crew findings the devices cannot measure (consciousness, oxygen, GCS, ...), merged into the next score. */
  setCrewFindings(caseId: string, findings: Partial<ScoreInput>): ScoreResult {
    const state = this.state(caseId);
    state.crew = { ...state.crew, ...findings };
    // Scored at the time of the latest device data: the trend timeline is the devices' timeline.
    if (state.lastAt === 0) return scoreVitals(state.latest.toScoreInput(this.deps.now(), state.crew));
    return this.rescore(caseId, state, state.lastAt, undefined);
  }

  latest(caseId: string): { vitals: Record<string, { value: number; at: number }>; alerts: DeteriorationAlert[] } {
    const state = this.cases.get(caseId);
    return { vitals: state?.latest.snapshot(state.lastAt) ?? {}, alerts: this.watcher.activeAlerts(caseId) };
  }

  /** What the rules see for the case now (device vitals and crew findings), without recording anything: the triage card's input. */
  scoreInput(caseId: string): ScoreInput {
    const state = this.cases.get(caseId);
    return state ? state.latest.toScoreInput(state.lastAt || this.deps.now(), state.crew) : {};
  }

  acknowledge(alertId: string, crewId: string): DeteriorationAlert {
    const store = this.deps.store();
    return store.transaction(() => {
      const alert = this.watcher.acknowledge(alertId, crewId, this.deps.now());
      store.alerts.save(alert);
      this.deps.audit().append({ actor: `crew:${crewId}`, action: 'alert.acknowledge', resource: `case/${alert.caseId}/alert`, reason: alert.kind });
      this.deps.live.publish({ type: 'alert', caseId: alert.caseId, alert });
      return alert;
    });
  }

  private onVitals(v: VitalsAccepted): void {
    this.deps.live.publish(
      v.caseId ? { type: 'vitals', caseId: v.caseId, deviceId: v.deviceId, observedAt: v.observedAt, rhythm: v.rhythm, measurements: v.measurements } : { type: 'device', deviceId: v.deviceId, online: true, at: v.observedAt },
    );
    if (!v.caseId) return;
    const state = this.state(v.caseId);
    // Devices' clocks differ by a little: the trend timeline never runs backwards.
    const at = Math.max(state.lastAt, v.observedAt);
    state.latest.record(v.measurements, v.observedAt);
    try {
      this.rescore(v.caseId, state, at, v.rhythm === null ? undefined : alarmRhythm(v.rhythm));
    } catch (err) {
      // A reading the device range allows but the scoring range does not (e.g. HR 320) must not
      // stop the flow of data: the sample is stored; this score is skipped and says why in the log.
      this.deps.logger.warn({ err, case: v.caseId, device: v.deviceId }, 'rule scoring skipped for this sample');
    }
  }

  private onWaveform(w: WaveformAccepted): void {
    if (!w.caseId) return;
    const { caseId, deviceId, kind, startedAt, sampleRateHz, gapBeforeMs } = w;
    this.deps.live.publish({ type: 'waveform', caseId, deviceId, kind, startedAt, sampleRateHz, gapBeforeMs, samples: Array.from(w.samples) });
  }

  /** rhythm: an alarm rhythm, null for a monitor reporting a sinus rhythm, undefined when not reported. */
  private rescore(caseId: string, state: CaseState, at: number, rhythm: string | null | undefined): ScoreResult {
    state.lastAt = at;
    const score = scoreVitals(state.latest.toScoreInput(at, state.crew));
    const alerts = this.watcher.observe(caseId, {
      at,
      news2Total: score.news2.partial ? null : score.news2.total,
      spo2: state.latest.value('SPO2', at) ?? null,
      systolicBP: state.latest.value('SBP', at) ?? null,
      ...(rhythm === undefined ? {} : { rhythmFlag: rhythm }),
    });
    this.persist(caseId, state, score, alerts, at);
    return score;
  }

  /**
   * Stores what matters clinically (a new acuity or NEWS2 risk band, new alerts) in one
   * transaction, and tells the tablet of any score change. A NEWS2 total that moves within its band
   * is only pushed live: a commit per sample would put an fsync on every device message.
   */
  private persist(caseId: string, state: CaseState, score: ScoreResult, alerts: DeteriorationAlert[], at: number): void {
    const significant = score.acuity.level !== state.lastAcuity || score.news2.risk !== state.lastRisk;
    if (!significant && alerts.length === 0 && score.news2.total === state.lastNews2) return;
    if (significant || alerts.length > 0) this.store(caseId, score, alerts, significant, at);
    state.lastAcuity = score.acuity.level;
    state.lastRisk = score.news2.risk;
    state.lastNews2 = score.news2.total;
    const news2 = { total: score.news2.total, risk: score.news2.risk, partial: score.news2.partial };
    this.deps.live.publish({ type: 'scores', caseId, at, news2, acuity: { level: score.acuity.level, reasons: score.acuity.reasons.map((r) => r.text) } });
    for (const alert of alerts) this.deps.live.publish({ type: 'alert', caseId, alert });
  }

  private store(caseId: string, score: ScoreResult, alerts: DeteriorationAlert[], significant: boolean, at: number): void {
    const store = this.deps.store();
    store.transaction(() => {
      if (significant) {
        store.assessments.add({ caseId, source: 'rules', acuity: score.acuity.level, result: score, createdAt: at });
        store.cases.updateClinical(caseId, { acuity: score.acuity.level }, at);
      }
      for (const alert of alerts) {
        store.alerts.save(alert);
        this.deps.audit().append({ actor: 'system', action: 'alert.raise', resource: `case/${caseId}/alert`, reason: alert.kind });
      }
    });
  }

  private state(caseId: string): CaseState {
    let state = this.cases.get(caseId);
    if (!state) {
      state = { latest: new LatestVitals(), lastAt: 0, lastAcuity: null, lastRisk: null, lastNews2: null, crew: {} };
      this.cases.set(caseId, state);
    }
    return state;
  }
}

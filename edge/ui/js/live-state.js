/**
 * What the live stream of one case has told us: latest values, trends, the ECG strip, alerts,
 * devices and scores. In memory only, dropped when the case closes or the screen locks.
 */

/** Seconds of ECG kept for the strip. */
export const ECG_SECONDS = 6;
/** Trend resolution: one point per bucket keeps a long case cheap to draw. */
const TREND_BUCKET_MS = 5000;

export class LiveState {
  constructor() {
    /** @type {Map<string, { value: number, at: number, unit: string }>} */
    this.latest = new Map();
    /** @type {Map<string, Map<number, number>>} code → bucket start → last value in it */
    this.trends = new Map();
    this.ecg = { samples: new Float32Array(0), rate: 250, lastAt: 0, countsPerMv: 200 };
    /** @type {Map<string, any>} */
    this.alerts = new Map();
    /** @type {Map<string, { online: boolean, at: number | null, kind: string }>} */
    this.devices = new Map();
    /** @type {{ news2: { total: number, risk: string, partial: boolean }, acuity: { level: number, reasons: string[] }, at: number } | null} */
    this.scores = null;
    /** The model's view merged with the rule floor, as dispatch sees it. @type {{ acuity: { level: number, ruleLevel: number, raisedByModel: boolean }, topCondition: { label: string, probability: number } | null, at: number } | null} */
    this.assessment = null;
    /** @type {string | null} */
    this.rhythm = null;
    this.rhythmAt = 0;
    this.connected = false;
    /** @type {Map<string, Set<(detail?: unknown) => void>>} */
    this.listeners = new Map();
  }

  /** @param {string} type @param {(detail?: unknown) => void} fn @returns {() => void} */
  on(type, fn) {
    const set = this.listeners.get(type) ?? new Set();
    set.add(fn);
    this.listeners.set(type, set);
    return () => set.delete(fn);
  }

  /** @param {string} type @param {unknown} [detail] */
  emit(type, detail) {
    for (const fn of this.listeners.get(type) ?? []) fn(detail);
  }

  /** Stored readings from GET /vitals, oldest first. @param {Array<{code: string, value: number, unit: string, observedAt: number}>} readings */
  loadHistory(readings) {
    for (const r of readings) this.record(r.code, r.value, r.unit, r.observedAt);
    this.emit('vitals');
  }

  /** @param {string} code @param {number} value @param {string} unit @param {number} at */
  record(code, value, unit, at) {
    const current = this.latest.get(code);
    if (!current || at >= current.at) this.latest.set(code, { value, at, unit });
    const buckets = this.trends.get(code) ?? new Map();
    buckets.set(Math.floor(at / TREND_BUCKET_MS) * TREND_BUCKET_MS, value);
    this.trends.set(code, buckets);
  }

  /** @param {any} event one message of the live stream */
  apply(event) {
    switch (event.type) {
      case 'snapshot':
        for (const [code, v] of Object.entries(event.vitals ?? {})) this.record(code, /** @type {any} */ (v).value, '', /** @type {any} */ (v).at);
        for (const alert of event.alerts ?? []) this.alerts.set(alert.id, alert);
        this.emit('vitals');
        this.emit('alerts');
        break;
      case 'vitals':
        for (const m of event.measurements) this.record(m.code, m.value, m.unit, event.observedAt);
        if (event.rhythm && event.observedAt >= this.rhythmAt) {
          this.rhythm = event.rhythm;
          this.rhythmAt = event.observedAt;
        }
        this.markDevice(event.deviceId, true, event.observedAt);
        this.emit('vitals');
        break;
      case 'waveform':
        this.addEcg(event);
        this.emit('waveform');
        break;
      case 'scores':
        this.scores = { news2: event.news2, acuity: event.acuity, at: event.at };
        this.emit('scores');
        break;
      case 'assessment':
        this.assessment = { acuity: event.acuity, topCondition: event.topCondition, at: event.at };
        this.emit('scores');
        break;
      case 'alert':
        this.alerts.set(event.alert.id, event.alert);
        this.emit('alerts');
        break;
      case 'device':
        this.markDevice(event.deviceId, event.online, event.at);
        break;
      default:
        break;
    }
  }

  /** @param {string} id @param {boolean} online @param {number | null} at @param {string} [kind] */
  markDevice(id, online, at, kind) {
    const known = this.devices.get(id);
    if (known && known.online === online && !kind) return;
    this.devices.set(id, { online, at, kind: kind ?? known?.kind ?? '' });
    this.emit('devices');
  }

  /** Alerts nobody has acknowledged yet, oldest first. */
  openAlerts() {
    return [...this.alerts.values()].filter((a) => a.acknowledgedAt === null).sort((a, b) => a.raisedAt - b.raisedAt);
  }

  /** @param {{ samples: number[], sampleRateHz: number, startedAt: number, gapBeforeMs: number | null }} chunk */
  addEcg(chunk) {
    const keep = Math.round(ECG_SECONDS * chunk.sampleRateHz);
    const gap = chunk.gapBeforeMs && chunk.gapBeforeMs > 0 ? Math.min(keep, Math.round((chunk.gapBeforeMs / 1000) * chunk.sampleRateHz)) : 0;
    const previous = this.ecg.rate === chunk.sampleRateHz ? this.ecg.samples : new Float32Array(0);
    const next = new Float32Array(Math.min(keep, previous.length + gap + chunk.samples.length));
    // A gap in the signal is drawn as a gap (NaN), never bridged with a line.
    const joined = [...previous, ...new Array(gap).fill(Number.NaN), ...chunk.samples];
    next.set(joined.slice(joined.length - next.length));
    this.ecg = { samples: next, rate: chunk.sampleRateHz, lastAt: chunk.startedAt, countsPerMv: this.ecg.countsPerMv };
  }

  /**
   * Aligned columns for a chart: bucket times (seconds, as uPlot wants) and one array per code.
   * @param {string[]} codes @param {number} windowMs
   * @returns {[number[], ...Array<Array<number | null>>]}
   */
  columns(codes, windowMs) {
    const newest = Math.max(0, ...codes.map((c) => this.latest.get(c)?.at ?? 0));
    const from = newest - windowMs;
    const times = new Set();
    for (const code of codes) for (const t of this.trends.get(code)?.keys() ?? []) if (t >= from) times.add(t);
    const xs = /** @type {number[]} */ ([...times]).sort((a, b) => a - b);
    return [xs.map((t) => t / 1000), ...codes.map((code) => xs.map((t) => this.trends.get(code)?.get(t) ?? null))];
  }
}

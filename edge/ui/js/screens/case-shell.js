/**
 * One open case: loads the chart (asking for break-glass when the case is not in the crew
 * member's care), follows the live stream, and frames the tabs with the top bar, the alert
 * banner, the break-glass banner and the navigation rail.
 */
import { ApiError, api, followCase } from '../api.js';
import { offlineBanner, topbar } from '../components/topbar.js';
import { button, clock, h, mount, sheet, toast } from '../dom.js';
import { LiveState } from '../live-state.js';
import { STATUS_LABEL } from './cases.js';
import { renderCapture } from './tab-capture.js';
import { renderHandoff } from './tab-handoff.js';
import { renderPatient } from './tab-patient.js';
import { renderTimeline } from './tab-timeline.js';
import { renderTreat } from './tab-treat.js';
import { renderTriage } from './tab-triage.js';
import { renderVitals } from './tab-vitals.js';

/**
 * @typedef {object} CaseContext
 * @property {string} caseId
 * @property {any} chart GET /chart: case, notes, interventions, medications, media, sync, access
 * @property {LiveState} live
 * @property {boolean} readOnly break-glass without write rights
 * @property {import('../main.js').shell} shell
 * @property {() => Promise<void>} refresh reloads the chart and redraws the frame
 * @property {(fn: () => void) => () => void} onChart called after each reload
 */

const TABS = [
  { id: 'vitals', label: 'Vitals', icon: '♥', render: renderVitals },
  { id: 'triage', label: 'Triage', icon: '◆', render: renderTriage },
  { id: 'patient', label: 'Patient', icon: '☺', render: renderPatient },
  { id: 'timeline', label: 'Timeline', icon: '◷', render: renderTimeline },
  { id: 'treat', label: 'Treat', icon: '✚', render: renderTreat },
  { id: 'capture', label: 'Capture', icon: '◉', render: renderCapture },
  { id: 'handoff', label: 'Handoff', icon: '⇄', render: renderHandoff },
];
const SYNC_LABEL = { queued: 'Queued', sent: 'Sent', received: 'Received by dispatch', held: 'Held: refused by the cloud' };

/** @param {import('../main.js').shell} shell @param {string} caseId */
export function openCase(shell, caseId) {
  const live = new LiveState();
  /** @type {Set<() => void>} */
  const chartListeners = new Set();
  /** @type {CaseContext} */
  const ctx = {
    caseId, chart: null, live, readOnly: false, shell,
    refresh: async () => {
      ctx.chart = await api.get(`/api/v1/cases/${caseId}/chart`);
      drawFrame();
      for (const fn of chartListeners) fn();
    },
    onChart: (fn) => {
      chartListeners.add(fn);
      return () => chartListeners.delete(fn);
    },
  };
  let tab = 'vitals';
  /** @type {(() => void) | void} */
  let disposeTab;
  /** @type {Array<() => void>} */
  const cleanups = [];
  let disposed = false;

  // Focusable so a keyboard (or switch) user can scroll it, as axe asks of scrollable regions.
  const content = h('main', { id: 'main', class: 'screen', tabindex: '0' });
  const nav = h('nav', { class: 'nav', 'aria-label': 'Case sections' });
  const banners = h('div', { class: 'banners' });
  const header = h('div');
  const chips = h('span', { class: 'row' });
  mount(shell.root, header, offlineBanner(shell.reachable), banners, h('div', { class: 'body' }, nav, content));

  function drawFrame() {
    if (disposed || !ctx.chart) return;
    ctx.readOnly = ctx.chart.access === 'break-glass' && shell.crew?.role !== 'supervisor';
    mount(header, topbar(shell, {
      ...patientTitle(ctx.chart.case),
      chips: [chips],
    }));
    drawChips();
    drawBanners();
    drawNav();
  }

  function drawChips() {
    if (ctx.chart) mount(chips, stageChip(), scoreChip(), deviceChip(), syncChip());
  }

  function drawNav() {
    mount(nav, button([h('span', { class: 'icon', 'aria-hidden': 'true' }, '◀'), 'Cases'], () => shell.navigate('#/cases'), { class: 'nav-back' }), TABS.map((t) => button([h('span', { class: 'icon', 'aria-hidden': 'true' }, t.icon), t.label], () => shell.navigate(`#/case/${caseId}/${t.id}`), {
      'aria-current': t.id === tab ? 'page' : undefined, 'data-tab': t.id,
    })));
  }

  function drawBanners() {
    const open = live.openAlerts();
    const first = open[0];
    mount(banners,
      ctx.chart?.access === 'break-glass'
        ? h('div', { class: 'banner banner--glass', role: 'status', 'data-banner': 'break-glass' },
          h('span', { class: 'icon', 'aria-hidden': 'true' }, '⚠'),
          h('span', { class: 'grow' }, `BREAK-GLASS ACCESS: this case is not in your care. Every view is audited${ctx.readOnly ? '; read-only' : ''}.`))
        : null,
      first
        ? h('div', { class: 'banner banner--alert', role: 'alert', 'data-banner': 'alert' },
          h('span', { class: 'icon', 'aria-hidden': 'true' }, '⚠'),
          h('span', { class: 'grow' }, `${first.detail || first.kind} · ${clock(first.raisedAt)}${first.clearedAt ? ' (now resolved)' : ''}${open.length > 1 ? ` · +${open.length - 1} more` : ''}`),
          button('Acknowledge', () => acknowledge(first.id), { disabled: ctx.readOnly }))
        : null,
    );
  }

  /** @param {string} alertId */
  async function acknowledge(alertId) {
    try {
      const alert = await api.post('/api/v1/alerts/acknowledge', { alertId });
      live.alerts.set(alert.id, alert);
    } catch (error) {
      // Someone else acknowledged it first: the stream brings the acknowledged alert.
      if (!(error instanceof ApiError && error.code === 'CONFLICT')) toast('Could not acknowledge the alert', 'error');
    }
    drawBanners();
  }

  function stageChip() {
    const last = ctx.chart.case.timeline.at(-1);
    return h('span', { class: 'tchip', 'data-chip': 'stage' }, h('b', {}, STATUS_LABEL[/** @type {keyof typeof STATUS_LABEL} */ (ctx.chart.case.status)] ?? ctx.chart.case.status), last ? clock(last.at) : '');
  }

  function scoreChip() {
    const s = live.scores;
    const a = live.assessment;
    // The more urgent of the rules now and the model's merged view: what dispatch sees, never below the rules.
    const levels = [s?.acuity.level, a?.acuity.level].filter((l) => typeof l === 'number');
    const level = levels.length > 0 ? Math.min(...levels) : ctx.chart.case.acuity;
    const byModel = a !== null && a.acuity.raisedByModel && a.acuity.level === level && (s === null || a.acuity.level < s.acuity.level);
    const urgent = (level !== null && level !== undefined && level <= 2) || (s?.news2.total ?? 0) >= 7;
    return h('span', { class: `tchip${urgent ? ' tchip--alert' : ''}`, 'data-chip': 'scores', title: byModel ? 'Raised by the AI model above the rules' : '' },
      h('b', {}, level ? `ESI ${level}${byModel ? ' · AI' : ''}` : 'ESI –'), s ? `NEWS2 ${s.news2.total}${s.news2.partial ? '*' : ''}` : 'NEWS2 –');
  }

  function deviceChip() {
    const all = [...live.devices.values()];
    const online = all.filter((d) => d.online).length;
    return h('span', { class: `tchip${online < all.length ? ' tchip--warn' : ''}`, 'data-chip': 'devices' }, h('b', {}, `${online}/${all.length}`), 'devices');
  }

  function syncChip() {
    const sync = ctx.chart.sync;
    const label = SYNC_LABEL[/** @type {keyof typeof SYNC_LABEL} */ (sync.state)] ?? sync.state;
    return h('span', { class: `tchip${sync.state === 'received' ? ' tchip--ok' : sync.state === 'held' ? ' tchip--alert' : ''}`, 'data-chip': 'sync' }, h('b', {}, 'Sync'), label);
  }

  /** @param {string} next */
  function show(next) {
    tab = TABS.some((t) => t.id === next) ? next : 'vitals';
    if (!ctx.chart) return;
    if (typeof disposeTab === 'function') disposeTab();
    drawNav();
    const view = /** @type {(typeof TABS)[number]} */ (TABS.find((t) => t.id === tab));
    mount(content);
    disposeTab = view.render(ctx, content);
  }

  async function start() {
    try {
      await ctx.refresh();
    } catch (error) {
      if (error instanceof ApiError && error.code === 'BREAK_GLASS_REQUIRED') return breakGlass();
      mount(content, h('div', { class: 'stack' },
        h('h1', {}, 'This case cannot be opened'),
        h('p', { class: 'notice', role: 'alert' }, error instanceof ApiError && error.code === 'FORBIDDEN' ? 'Your role does not give access to patient information.' : 'The appliance did not return the case.'),
        button('Back to cases', () => shell.navigate('#/cases'), { class: 'btn--primary' })));
      return;
    }
    await loadLive();
    show(tab);
  }

  async function loadLive() {
    const [vitals, devices] = await Promise.all([api.get(`/api/v1/cases/${caseId}/vitals`), api.get('/api/v1/devices')]).catch(() => [null, null]);
    if (vitals) live.loadHistory(vitals.vitals);
    for (const d of devices ?? []) live.markDevice(d.id, d.online, d.changedAt, d.kind);
    cleanups.push(followCase(caseId, (event) => live.apply(event), (connected) => {
      live.connected = connected;
      live.emit('link');
    }));
    cleanups.push(live.on('alerts', drawBanners), live.on('scores', drawChips), live.on('devices', drawChips));
  }

  async function breakGlass() {
    mount(content, h('p', { class: 'muted' }, 'This case is not in your care.'));
    const reason = await sheet('Open a case outside your care?', (close) => {
      const input = /** @type {HTMLTextAreaElement} */ (h('textarea', { class: 'input', id: 'glass-reason', minlength: '10', maxlength: '500', required: true }));
      const error = h('p', { class: 'error', role: 'alert', hidden: true }, 'Say why, in at least 10 characters.');
      const quick = ['Patient re-presenting: continuity of care', 'Supervisor review of care', 'Clinical audit requested by medical director'];
      return h('div', { class: 'stack' },
        h('p', {}, 'This is break-glass access. Your name, the time and your reason are written to the audit log, and a banner stays on screen while you are in the case.'),
        h('div', { class: 'chips' }, quick.map((q) => button(q, () => { input.value = q; error.hidden = true; }))),
        h('label', { class: 'field', for: 'glass-reason' }, 'Reason'),
        input,
        error,
        h('div', { class: 'row row--spread' },
          button('Cancel', () => close(null)),
          button('Open with break-glass', () => {
            if (input.value.trim().length < 10) {
              error.hidden = false;
              return;
            }
            close(input.value.trim());
          }, { class: 'btn--danger btn--big', 'data-action': 'break-glass' })),
      );
    });
    if (reason === null) return shell.navigate('#/cases');
    try {
      await api.post(`/api/v1/cases/${caseId}/break-glass`, { reason });
      await start();
    } catch (error) {
      toast(error instanceof ApiError && error.code === 'FORBIDDEN' ? 'Your role cannot use break-glass.' : 'Break-glass failed', 'error');
      shell.navigate('#/cases');
    }
  }

  void start();

  return {
    caseId,
    show,
    dispose() {
      disposed = true;
      if (typeof disposeTab === 'function') disposeTab();
      for (const fn of cleanups) fn();
    },
  };
}

/** The name (or "Unknown patient") over "62 y · male · 88 kg · incident 2025-004127". @param {any} record */
export function patientTitle(record) {
  const p = record.patient;
  const parts = [];
  if (p.ageYears !== null) parts.push(`${Math.floor(p.ageYears)} y`);
  if (p.sex && p.sex !== 'unknown') parts.push(p.sex);
  if (p.weightKg !== null) parts.push(`${p.weightKg} kg`);
  if (record.incidentNumber) parts.push(`incident ${record.incidentNumber}`);
  return { title: [p.givenName, p.familyName].filter(Boolean).join(' ') || 'Unknown patient', subtitle: parts.join(' · ') || 'age, sex and weight not recorded' };
}

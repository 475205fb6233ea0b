/**
 * The triage card: NEWS2 with its sub-scores, acuity from the rule floor and from the model,
 * the model's top conditions with confidence, the specialty adapter in use (with a picker),
 * and the reasons. The crew's own findings (ACVPU, oxygen, pain) go in here too.
 */
import { ApiError, api } from '../api.js';
import { button, h, mount, toast } from '../dom.js';

const PARAMETERS = [
  ['respiratoryRate', 'Respiration rate', '/min'],
  ['spo2', 'SpO₂', '%'],
  ['onOxygen', 'Air or oxygen', ''],
  ['systolicBP', 'Systolic BP', 'mmHg'],
  ['heartRate', 'Pulse', '/min'],
  ['consciousness', 'Consciousness', ''],
  ['temperature', 'Temperature', '°C'],
];
const RISK_LABEL = { low: 'Low risk', 'low-medium': 'Low-medium risk (a single 3)', medium: 'Medium risk', high: 'High risk' };
const ACVPU = [['A', 'Alert', 'Alert'], ['C', 'Confused', 'New confusion'], ['V', 'Voice', 'Responds to voice'], ['P', 'Pain', 'Responds to pain'], ['U', 'Unresp.', 'Unresponsive']];
const REFRESH_MS = 3000;

/** @type {Map<string, string | null>} the adapter each case was switched to (display choice, not patient data) */
const chosenSpecialty = new Map();
/** @type {Map<string, boolean>} what this tablet last sent as the ESI high-risk judgement, per case */
const highRiskSent = new Map();

/** @param {import('./case-shell.js').CaseContext} ctx @param {HTMLElement} host */
export function renderTriage(ctx, host) {
  /** @type {any} */
  let triage = null;
  let pain = /** @type {number | null} */ (null);
  let loading = false;
  /** @type {ReturnType<typeof setTimeout> | null} */
  let timer = null;

  const load = async () => {
    if (loading) return;
    loading = true;
    const specialty = chosenSpecialty.get(ctx.caseId);
    try {
      triage = await api.get(`/api/v1/cases/${ctx.caseId}/triage${specialty ? `?specialty=${encodeURIComponent(specialty)}` : ''}`);
    } catch (error) {
      if (!(error instanceof ApiError && error.code === 'OFFLINE')) toast('The triage card could not be loaded', 'error');
    }
    loading = false;
    if (host.isConnected) draw();
  };

  /** @param {Record<string, unknown>} findings */
  const record = async (findings) => {
    try {
      await api.post(`/api/v1/cases/${ctx.caseId}/findings`, findings);
      await load();
    } catch {
      toast('The finding was not recorded', 'error');
    }
  };

  /** @param {string | null} specialty */
  const choose = (specialty) => {
    chosenSpecialty.set(ctx.caseId, specialty);
    void load();
  };

  function draw() {
    if (!triage) {
      mount(host, h('h1', {}, 'Triage'), h('p', { class: 'muted' }, 'Scoring…'));
      return;
    }
    const { rules, model } = triage;
    mount(host, h('h1', { class: 'sr-only' }, 'Triage'), h('div', { class: 'grid-2 triage' },
      h('div', { class: 'stack' }, news2Panel(rules.news2), findingsPanel(rules)),
      h('div', { class: 'stack' }, acuityPanel(rules, model), modelPanel(model)),
    ));
  }

  /** @param {any} news2 */
  function news2Panel(news2) {
    return h('section', { class: 'panel', 'aria-labelledby': 'news2-h', 'data-panel': 'news2' },
      h('div', { class: 'row row--spread' },
        h('h2', { id: 'news2-h' }, 'NEWS2'),
        h('div', { class: 'score-big' }, h('span', { class: 'value num', 'data-news2': news2.total }, String(news2.total)), h('strong', {}, RISK_LABEL[/** @type {keyof typeof RISK_LABEL} */ (news2.risk)] ?? news2.risk))),
      news2.partial ? h('p', { class: 'notice' }, `Partial: not yet scored — ${news2.missing.map(labelOf).join(', ')}`) : null,
      news2.validForAge ? null : h('p', { class: 'notice' }, 'Under 16: NEWS2 is shown but not validated; use the paediatric ranges.'),
      h('table', { class: 'subscores' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Parameter'), h('th', { scope: 'col' }, 'Value'), h('th', { scope: 'col' }, 'Points'))),
        h('tbody', {}, PARAMETERS.map(([key, label, unit]) => {
          const p = news2.parameters[key];
          const value = p.value === null || p.value === undefined ? 'not given' : key === 'onOxygen' ? (p.value ? 'oxygen' : 'air') : `${p.value}${unit ? ` ${unit}` : ''}`;
          return h('tr', { 'data-parameter': key },
            h('td', {}, key === 'spo2' ? `${label} (scale ${p.scale})` : label),
            h('td', {}, value),
            h('td', { class: 'pts num' }, p.score === null ? '–' : String(p.score), ' ', p.score ? h('span', { class: 'pts-bar', 'aria-hidden': 'true', style: { width: `${p.score * 18}px` } }) : null),
          );
        })),
      ),
    );
  }

  /** @param {any} rules */
  function findingsPanel(rules) {
    const consciousness = rules.news2.parameters.consciousness.value;
    const onOxygen = rules.news2.parameters.onOxygen.value;
    const disabled = ctx.readOnly;
    return h('section', { class: 'panel stack', 'aria-labelledby': 'findings-h' },
      h('h2', { id: 'findings-h' }, 'Crew findings'),
      h('div', { role: 'group', 'aria-label': 'Consciousness (ACVPU)', class: 'acvpu' },
        ACVPU.map(([code, short, long]) => button([h('b', {}, code), ' ', h('small', {}, short)], () => record({ consciousness: code }), {
          'aria-pressed': String(consciousness === code), disabled, 'data-acvpu': code, title: long,
        }))),
      h('div', { class: 'row' },
        h('div', { role: 'group', 'aria-label': 'Air or oxygen', class: 'segmented' },
          button('On air', () => record({ onOxygen: false }), { 'aria-pressed': String(onOxygen === false), disabled }),
          button('On oxygen', () => record({ onOxygen: true }), { 'aria-pressed': String(onOxygen === true), disabled })),
        h('div', { role: 'group', 'aria-label': 'Pain score', class: 'row' },
          h('span', {}, 'Pain'),
          button('−', () => setPain(Math.max(0, (pain ?? 0) - 1)), { disabled, 'aria-label': 'Less pain' }),
          h('strong', { class: 'num pain', 'aria-live': 'polite' }, pain === null ? '–' : String(pain)),
          button('+', () => setPain(Math.min(10, (pain ?? 0) + 1)), { disabled, 'aria-label': 'More pain' }))),
      button('High-risk situation (ESI): e.g. suspected ACS or stroke', () => {
        const next = !(highRiskSent.get(ctx.caseId) ?? false);
        highRiskSent.set(ctx.caseId, next);
        void record({ highRiskSituation: next });
      }, { 'aria-pressed': String(highRiskSent.get(ctx.caseId) ?? false), disabled, 'data-finding': 'high-risk', class: 'btn--block' }),
    );
  }

  /** @param {number} value */
  function setPain(value) {
    pain = value;
    void record({ painScore: value });
  }

  /** @param {any} rules @param {any} model */
  function acuityPanel(rules, model) {
    const merged = model.available ? model.result.acuity.level : rules.acuity.level;
    const reasons = model.available ? model.result.acuity.reasons : rules.acuity.reasons;
    return h('section', { class: 'panel', 'aria-labelledby': 'acuity-h', 'data-panel': 'acuity' },
      h('div', { class: 'row row--spread' },
        h('h2', { id: 'acuity-h' }, 'Acuity'),
        h('span', { class: `esi esi--${merged}`, 'data-esi': merged }, `ESI ${merged}`)),
      h('div', { class: 'row' },
        h('span', { class: 'chip' }, `Rule floor: ESI ${rules.acuity.level}`),
        model.available
          ? h('span', { class: 'chip', 'data-model': 'available' }, `Model: ESI ${model.result.acuity.modelLevel}${model.result.acuity.disagreement === 'model-higher' ? ' (raises)' : model.result.acuity.disagreement ? ' (lower: ignored)' : ' (agrees)'}`)
          : h('span', { class: 'chip', 'data-model': 'unavailable' }, 'Model unavailable')),
      rules.acuity.partial ? h('p', { class: 'notice' }, `May be too low: missing ${rules.acuity.missing.map(labelOf).join(', ')}`) : null,
      h('h3', {}, 'Reasons'),
      h('ul', { class: 'reasons' }, reasons.length ? reasons.map((/** @type {any} */ r) => h('li', {}, h('b', {}, `${r.rule}: `), r.text)) : h('li', {}, 'No rule raised the level')),
      h('p', { class: 'muted' }, otherScores(rules)),
    );
  }

  /** Top conditions with confidence, and the specialty adapter in use with the picker to switch it. @param {any} model */
  function modelPanel(model) {
    const current = chosenSpecialty.get(ctx.caseId) ?? null;
    const adapters = model.adapters ?? [];
    const picker = h('div', { class: 'chips adapters', role: 'group', 'aria-label': 'Choose the specialty adapter' },
      button('Base model', () => choose(null), { 'aria-pressed': String(current === null), disabled: !model.available }),
      adapters.map((/** @type {any} */ a) => button(a.specialty, () => choose(a.specialty), { 'aria-pressed': String(current === a.specialty), 'data-specialty': a.specialty })));
    if (!model.available) {
      return h('section', { class: 'panel stack', 'aria-labelledby': 'cond-h', 'data-panel': 'adapter' },
        h('h2', { id: 'cond-h' }, 'Model: top conditions'),
        h('p', { class: 'notice', 'data-model-reason': '' }, 'Model unavailable: the rule floor stands alone.'),
        h('p', { class: 'muted' }, model.reason),
        h('p', { 'data-adapter-in-use': 'none' }, 'Adapter in use: none'), picker);
    }
    const { conditions, confidence, model: info, adapter } = model.result;
    const suggested = conditions[0]?.specialty;
    return h('section', { class: 'panel stack', 'aria-labelledby': 'cond-h', 'data-panel': 'adapter' },
      h('div', { class: 'row row--spread' }, h('h2', { id: 'cond-h' }, 'Top conditions'), h('span', { class: 'chip' }, `Confidence ${Math.round(confidence * 100)} %`)),
      h('div', { class: 'conditions' }, conditions.map((/** @type {any} */ c) => h('div', { class: 'condition' },
        h('div', {}, h('div', {}, c.display, h('small', { class: 'muted' }, ` · ${c.specialty}`)), h('div', { class: 'meter', role: 'img', 'aria-label': `${Math.round(c.probability * 100)} percent` }, h('span', { style: { width: `${Math.round(c.probability * 100)}%` } }))),
        h('strong', { class: 'num' }, `${Math.round(c.probability * 100)} %`)))),
      h('p', { 'data-adapter-in-use': adapter ? adapter.specialty : 'base' }, 'Adapter in use: ', h('strong', {}, adapter ? `${adapter.specialty} ${adapter.version}` : 'base model'),
        suggested && suggested !== current && adapters.some((/** @type {any} */ a) => a.specialty === suggested) ? ` · suggested: ${suggested}` : ''),
      picker,
      info.referenceModel ? h('p', { class: 'muted small' }, `${info.id} ${info.version}: ${info.statement}`) : null,
    );
  }

  const schedule = () => {
    if (!timer) timer = setTimeout(() => { timer = null; void load(); }, REFRESH_MS);
  };
  const unsubscribe = ctx.live.on('scores', schedule);
  draw();
  void load();
  return () => {
    unsubscribe();
    if (timer) clearTimeout(timer);
  };
}

/** Shock index, qSOFA, GCS and the paediatric ranges, in one line. @param {any} rules */
function otherScores(rules) {
  const parts = [];
  if (rules.shockIndex) parts.push(`Shock index ${rules.shockIndex.value}${rules.shockIndex.elevated ? ' (elevated)' : ''}`);
  parts.push(`qSOFA ${rules.qsofa.score}${rules.qsofa.positive ? ' (positive)' : ''}`);
  if (rules.gcs) parts.push(`GCS ${rules.gcs.total} (${rules.gcs.severity})`);
  if (rules.pediatric) parts.push(`Paediatric ${rules.pediatric.ageBand}: ${rules.pediatric.outside.length ? rules.pediatric.outside.map((/** @type {any} */ o) => `${o.vital} ${o.direction}`).join(', ') : 'within ranges'}`);
  return parts.join(' · ');
}

/** @param {string} field */
function labelOf(field) {
  return PARAMETERS.find(([key]) => key === field)?.[1] ?? field;
}

/**
 * Treatment: medications given (dose, route, time), checked by the appliance against the
 * patient's allergies, home medications, latest blood pressure and the formulary's weight-based
 * ranges; and one-tap interventions. A warning that needs an override cannot be recorded
 * without a stated reason, which is audited and shown at handoff.
 */
import { ApiError, api } from '../api.js';
import { button, clock, h, mount, sheet, toast } from '../dom.js';

const MINUTES_AGO = [0, 5, 10, 15];
const ROUTE_LABEL = { PO: 'PO (oral)', SL: 'SL', IV: 'IV', IO: 'IO', IM: 'IM', IN: 'IN (nasal)', NEB: 'Nebulised', INH: 'Inhaled' };

/** @type {Promise<any> | null} the formulary does not change while the app runs */
let formulary = null;

/** @param {import('./case-shell.js').CaseContext} ctx @param {HTMLElement} host */
export function renderTreat(ctx, host) {
  formulary ??= api.get('/api/v1/formulary').catch((error) => {
    formulary = null;
    throw error;
  });

  /** @param {string} code @param {string} display */
  const intervene = async (code, display) => {
    try {
      await api.post(`/api/v1/cases/${ctx.caseId}/interventions`, { code });
      toast(`${display} recorded at ${clock(Date.now())}`);
      await ctx.refresh();
      draw();
    } catch {
      toast(`${display} was not recorded`, 'error');
    }
  };

  /** @param {any | null} med a formulary entry, or null for a medication outside it */
  const give = async (med) => {
    const recorded = await sheet(med ? `Give ${med.name}` : 'Give another medication', (close) => doseForm(ctx, med, close));
    if (recorded) {
      toast(`${recorded.medication} ${recorded.dose} ${recorded.doseUnit} ${recorded.route} recorded`);
      await ctx.refresh();
      draw();
    }
  };

  let showing = /** @type {'medications' | 'interventions'} */ ('medications');

  async function draw() {
    let data;
    try {
      data = await formulary;
    } catch {
      mount(host, h('p', { class: 'notice' }, 'The formulary cannot be loaded: the appliance did not answer.'));
      return;
    }
    const disabled = ctx.readOnly;
    /** @param {'medications' | 'interventions'} which @param {string} label */
    const choice = (which, label) => button(label, () => { showing = which; void draw(); }, { 'aria-pressed': String(showing === which), 'data-show': which });
    mount(host, h('h1', { class: 'sr-only' }, 'Treatment'), h('div', { class: 'treat' },
      h('section', { class: 'panel stack', 'aria-label': 'Record treatment' },
        h('div', { class: 'segmented', role: 'group', 'aria-label': 'Show' }, choice('medications', 'Give medication'), choice('interventions', 'Interventions')),
        showing === 'medications'
          ? h('div', { class: 'med-grid' },
            data.medications.map((/** @type {any} */ m) => button(shortName(m.name), () => give(m), { disabled, 'data-med': m.id })),
            button('Other…', () => give(null), { disabled, 'data-med': 'other' }))
          : [h('p', { class: 'muted' }, 'One tap records it, now.'),
            h('div', { class: 'med-grid' }, data.interventions.map((/** @type {any} */ i) => button(i.display, () => intervene(i.code, i.display), { disabled, 'data-intervention': i.code })))],
      ),
      givenTable(ctx),
    ));
  }

  void draw();
}

/** @param {string} name e.g. "Epinephrine 1 mg/10 mL (0.1 mg/mL)" → "Epinephrine 1 mg/10 mL" */
function shortName(name) {
  return name.replace(/\s*\(.*\)$/, '');
}

/** @param {import('./case-shell.js').CaseContext} ctx */
function givenTable(ctx) {
  const rows = [
    ...ctx.chart.medications.map((/** @type {any} */ m) => ({ at: m.givenAt, what: `${m.medication} ${m.dose} ${m.doseUnit} ${m.route}`, warnings: m.warnings, override: m.overrideReason })),
    ...ctx.chart.interventions.map((/** @type {any} */ i) => ({ at: i.performedAt, what: i.display, warnings: [], override: null })),
  ].sort((a, b) => b.at - a.at);
  return h('section', { class: 'panel', 'aria-labelledby': 'given-h' },
    h('h2', { id: 'given-h' }, 'Given and done'),
    rows.length === 0 ? h('p', { class: 'muted' }, 'Nothing recorded yet.') : h('table', { class: 'given', 'data-list': 'given' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Time'), h('th', { scope: 'col' }, 'What'), h('th', { scope: 'col' }, 'Checks'))),
      h('tbody', {}, rows.map((r) => h('tr', {},
        h('td', { class: 'num' }, clock(r.at)),
        h('td', {}, r.what),
        h('td', {}, r.override ? h('span', { class: 'override-note' }, `Override: ${r.override}`) : null,
          r.warnings.map((/** @type {any} */ w) => h('div', { class: 'muted' }, w.text))),
      ))),
    ),
  );
}

/**
 * The dose form inside the sheet: dose, unit, route, time; the appliance's check; record or
 * override with a reason.
 * @param {import('./case-shell.js').CaseContext} ctx @param {any | null} med @param {(value: any) => void} close
 */
function doseForm(ctx, med, close) {
  const routes = med ? [...new Set(med.doses.flatMap((/** @type {any} */ d) => d.routes))] : Object.keys(ROUTE_LABEL);
  const ruleUnit = med?.doses[0]?.unit ?? 'mg';
  const units = med ? [ruleUnit, ...(med.mgPerMl ? ['mL'] : [])] : ['mg', 'mcg', 'g', 'mL', 'L/min'];
  const state = { name: med?.name ?? '', dose: '', unit: units[0], route: routes[0], minutesAgo: 0, /** @type {any} */ result: null, checking: false };
  const host = h('div', { class: 'stack' });
  const doseInput = /** @type {HTMLInputElement} */ (h('input', { class: 'input', id: 'dose', inputmode: 'decimal', autocomplete: 'off', style: { fontSize: '28px', maxWidth: '220px' } }));
  const nameInput = /** @type {HTMLInputElement} */ (h('input', { class: 'input', id: 'med-name', autocomplete: 'off' }));
  const reasonInput = /** @type {HTMLTextAreaElement} */ (h('textarea', { class: 'input', id: 'override-reason', maxlength: '500' }));
  /** @type {ReturnType<typeof setTimeout> | null} */
  let timer = null;

  const body = () => ({ medication: med ? med.id : state.name, dose: Number(state.dose.replace(',', '.')), doseUnit: state.unit, route: state.route });
  const doseGiven = () => state.dose !== '' && Number(body().dose) > 0;

  let asked = 0;
  const check = async () => {
    timer = null;
    if (!med && !state.name) return;
    const mine = ++asked;
    state.checking = true;
    let result = null;
    try {
      // Before a dose is typed, a nominal one still brings the expected range and the allergy check.
      result = await api.post(`/api/v1/cases/${ctx.caseId}/medications/check`, doseGiven() ? body() : { ...body(), dose: 1 });
    } catch {
      result = null;
    }
    if (mine !== asked) return; // an answer to an older form: a newer check is on its way
    state.result = result;
    state.checking = false;
    draw();
  };
  const recheck = () => {
    state.result = null;
    if (timer) clearTimeout(timer);
    timer = setTimeout(check, 350);
    draw();
  };

  const record = async () => {
    const override = reasonInput.value.trim();
    try {
      const recorded = await api.post(`/api/v1/cases/${ctx.caseId}/medications`, {
        ...body(), givenAt: Date.now() - state.minutesAgo * 60_000, ...(override ? { override: { reason: override } } : {}),
      });
      close(recorded);
    } catch (error) {
      toast(error instanceof ApiError && error.code === 'OVERRIDE_REQUIRED' ? 'A warning needs an override reason (5 characters or more)' : 'Not recorded', 'error');
    }
  };

  doseInput.addEventListener('input', () => { state.dose = doseInput.value.trim(); recheck(); });
  nameInput.addEventListener('change', () => { state.name = nameInput.value.trim(); recheck(); });
  reasonInput.addEventListener('input', () => drawActions());

  // Inputs are placed once and never re-created, so typing never loses focus; the rest redraws.
  const unitGroup = h('div', { role: 'group', 'aria-label': 'Unit', class: 'row' });
  const routeGroup = h('div', { role: 'group', 'aria-label': 'Route', class: 'row' });
  const timeGroup = h('div', { role: 'group', 'aria-label': 'When given', class: 'row' });
  const expected = h('div', { class: 'stack' });
  const warningList = h('div', { class: 'warnings', 'data-warnings': '' });
  const overrideField = h('label', { class: 'field', for: 'override-reason', hidden: true }, 'Override: why is this right for this patient? (audited)', reasonInput);
  const actions = h('div', { class: 'row row--spread' });
  mount(host, h('div', { class: 'dose-form' },
    h('div', { class: 'stack' },
      med ? h('p', { class: 'muted' }, med.presentation ?? '') : h('label', { class: 'field', for: 'med-name' }, 'Medication', nameInput),
      h('div', { class: 'row' }, h('label', { class: 'field', for: 'dose' }, 'Dose', doseInput), unitGroup),
      h('span', { class: 'field' }, 'Route'), routeGroup,
      h('span', { class: 'field' }, 'Given'), timeGroup),
    h('div', { class: 'stack' }, expected, warningList, overrideField, actions),
  ));

  const visibleWarnings = () => (state.result?.warnings ?? []).filter((/** @type {any} */ w) => doseGiven() || !['below-range', 'above-range', 'outside-range', 'above-total'].includes(w.kind));
  const needsOverride = () => visibleWarnings().some((/** @type {any} */ w) => w.needsOverride);

  function drawActions() {
    const reasonOk = reasonInput.value.trim().length >= 5;
    mount(actions,
      button('Cancel', () => close(null)),
      needsOverride()
        ? button('Override and record', record, { class: 'btn--danger btn--big', disabled: !doseGiven() || !reasonOk || !state.result, 'data-action': 'override' })
        : button('Record', record, { class: 'btn--primary btn--big', disabled: !doseGiven() || !state.result || state.checking, 'data-action': 'record' }));
  }

  function draw() {
    const result = state.result;
    mount(unitGroup, units.map((u) => button(u, () => { state.unit = u; recheck(); }, { 'aria-pressed': String(state.unit === u) })));
    mount(routeGroup, routes.map((r) => button(ROUTE_LABEL[/** @type {keyof typeof ROUTE_LABEL} */ (r)] ?? r, () => { state.route = r; recheck(); }, { 'aria-pressed': String(state.route === r), 'data-route': r })));
    mount(timeGroup, MINUTES_AGO.map((m) => button(m === 0 ? 'Now' : `${m} min ago`, () => { state.minutesAgo = m; draw(); }, { 'aria-pressed': String(state.minutesAgo === m) })));
    mount(expected,
      result && result.expected.length > 0
        ? [h('strong', {}, `Expected for this patient (${result.population === 'pediatric' ? 'child' : 'adult'}):`),
          result.expected.map((/** @type {any} */ e) => h('div', { class: 'row', 'data-expected': '' },
            h('span', {}, `${e.min === e.max ? e.min : `${e.min}–${e.max}`} ${e.unit} · ${e.indication} · ${e.basis}`),
            button(`Use ${e.max} ${e.unit}`, () => { state.dose = String(e.max); state.unit = e.unit; doseInput.value = state.dose; recheck(); })))]
        : null,
      result?.total?.max ? h('p', { class: 'muted' }, `Case total with this dose: ${result.total.given} of max ${result.total.max} ${result.total.unit}`) : null,
      state.checking ? h('p', { class: 'muted' }, 'Checking…') : null,
    );
    mount(warningList, visibleWarnings().map((/** @type {any} */ w) => h('div', { class: `warning ${w.needsOverride ? 'warning--override' : 'warning--info'}`, 'data-warning': w.kind }, w.text)));
    overrideField.hidden = !(needsOverride() && doseGiven());
    drawActions();
  }

  draw();
  void check();
  return host;
}

/** One-tap timeline (each step stamps the time), the ETA to the destination while transporting, and the crew's notes. */
import { ApiError, api } from '../api.js';
import { button, clock, h, mount, toast } from '../dom.js';

const STEPS = [
  ['en_route', 'En route'], ['on_scene', 'On scene'], ['patient_contact', 'Patient contact'],
  ['transporting', 'Transporting'], ['at_destination', 'At destination'], ['handoff', 'Handoff'],
];
/** Quick ETA choices in minutes from now: on the road a crew estimates in steps like these, not to the minute. */
const ETA_MINUTES = [5, 10, 15, 20, 30, 45];
const MINUTE_MS = 60_000;
/** The minutes left count down between chart reloads. */
const ETA_TICK_MS = 15_000;

/** @param {import('./case-shell.js').CaseContext} ctx @param {HTMLElement} host */
export function renderTimeline(ctx, host) {
  /** @param {string} status */
  const stamp = async (status) => {
    try {
      await api.post(`/api/v1/cases/${ctx.caseId}/status`, { status });
      await ctx.refresh();
      toast(`${STEPS.find(([s]) => s === status)?.[1]} at ${clock(Date.now())}`);
      draw();
    } catch (error) {
      toast(error instanceof ApiError && error.code === 'OFFLINE' ? 'Not recorded: the appliance cannot be reached' : 'Not recorded', 'error');
    }
  };

  const noteInput = /** @type {HTMLTextAreaElement} */ (h('textarea', { class: 'input', id: 'note', maxlength: '4000', placeholder: 'What you saw, did, or were told' }));
  const addNote = async () => {
    const text = noteInput.value.trim();
    if (!text) return;
    try {
      await api.post(`/api/v1/cases/${ctx.caseId}/notes`, { text });
      noteInput.value = '';
      await ctx.refresh();
      draw();
    } catch {
      toast('The note was not saved', 'error');
    }
  };

  const eta = etaPanel(ctx);

  function draw() {
    const timeline = ctx.chart.case.timeline;
    const lastAt = (/** @type {string} */ status) => timeline.filter((/** @type {any} */ e) => e.status === status).at(-1)?.at ?? null;
    const doneIndex = STEPS.reduce((last, [status], i) => (lastAt(status) !== null ? i : last), -1);
    mount(host, h('h1', { class: 'sr-only' }, 'Timeline and notes'), h('div', { class: 'stack' },
      h('section', { class: 'panel stack', 'aria-labelledby': 'tl-h' },
        h('div', { class: 'row row--spread' }, h('h2', { id: 'tl-h' }, 'Timeline'), h('span', { class: 'muted' }, `Dispatched ${clock(lastAt('dispatched'))}`)),
        h('div', { class: 'steps' }, STEPS.map(([status, label], i) => {
          const at = lastAt(status);
          return button([h('span', {}, at !== null ? `✓ ${label}` : label), h('span', { class: 'when' }, at !== null ? clock(at) : 'tap to stamp')], () => stamp(status), {
            class: `step${at !== null ? ' btn--selected' : ''}${i === doneIndex + 1 ? ' step--next' : ''}`, disabled: ctx.readOnly, 'data-status': status,
          });
        })),
      ),
      eta.element,
      h('section', { class: 'panel stack', 'aria-labelledby': 'notes-h' },
        h('h2', { id: 'notes-h' }, 'Notes'),
        h('label', { class: 'sr-only', for: 'note' }, 'New note'),
        noteInput,
        h('div', { class: 'row' }, button('Add note', addNote, { class: 'btn--primary', disabled: ctx.readOnly, 'data-action': 'add-note' })),
        h('ul', { class: 'reasons', 'data-list': 'notes' }, ctx.chart.notes.length === 0 ? h('li', { class: 'muted' }, 'No notes yet') :
          [...ctx.chart.notes].reverse().map((/** @type {any} */ n) => h('li', {}, h('b', {}, `${clock(n.createdAt)} `), n.text))),
      ),
    ));
  }

  draw();
  return eta.dispose;
}

/**
 * The expected arrival at the destination, which dispatch sees on its board: shown from
 * "transporting" until "at destination". Built once and updated in place (not re-mounted with the
 * rest of the tab), so keyboard focus stays on the button just pressed.
 * @param {import('./case-shell.js').CaseContext} ctx
 * @returns {{ element: HTMLElement, dispose: () => void }}
 */
function etaPanel(ctx) {
  const current = h('p', { class: 'eta-now' });
  const choices = [
    ...ETA_MINUTES.map((minutes) => button(`${minutes} min`, () => save({ inMinutes: minutes }), { 'data-eta-minutes': String(minutes) })),
    button('Clear', () => save({ etaAt: null }), { 'data-action': 'clear-eta' }),
  ];
  const element = h('section', { class: 'panel stack', 'aria-labelledby': 'eta-h', 'data-panel': 'eta', hidden: true },
    h('h2', { id: 'eta-h' }, 'ETA to destination'),
    current,
    h('div', { class: 'eta-choices', role: 'group', 'aria-label': 'Set the ETA in minutes from now' }, choices));

  /** Minutes count from the appliance's clock, not the tablet's. @param {{inMinutes: number} | {etaAt: null}} body */
  async function save(body) {
    let saved;
    try {
      saved = await api.put(`/api/v1/cases/${ctx.caseId}/eta`, body);
    } catch (error) {
      toast(etaFailure(error), 'error');
      return;
    }
    // The toasts are a polite live region: this is how a screen reader hears the new ETA.
    toast(saved.etaAt === null ? 'ETA cleared' : etaText(saved.etaAt, Date.now()));
    // The ETA is saved whatever the reload does; a reload that fails shows as the unreachable banner.
    await ctx.refresh().catch(() => undefined);
  }

  function draw() {
    const { status, etaAt } = ctx.chart.case;
    element.hidden = status !== 'transporting';
    for (const choice of choices) choice.toggleAttribute('disabled', ctx.readOnly);
    current.dataset.eta = etaAt === null ? 'none' : 'set';
    mount(current, etaAt === null ? h('span', { class: 'muted' }, 'No ETA set') : etaText(etaAt, Date.now()));
  }

  draw();
  const unsubscribe = ctx.onChart(draw);
  const ticker = setInterval(draw, ETA_TICK_MS);
  return {
    element,
    dispose: () => {
      unsubscribe();
      clearInterval(ticker);
    },
  };
}

/** "ETA 14:32 · in 12 min" (or "due now", "3 min overdue"). @param {number} etaAt @param {number} now */
function etaText(etaAt, now) {
  const left = Math.round((etaAt - now) / MINUTE_MS);
  return `ETA ${clock(etaAt)} · ${left > 0 ? `in ${left} min` : left === 0 ? 'due now' : `${-left} min overdue`}`;
}

/** @param {unknown} error */
function etaFailure(error) {
  if (!(error instanceof ApiError)) return 'ETA not saved';
  if (error.code === 'OFFLINE') return 'ETA not saved: the appliance cannot be reached';
  // The quick buttons always give a time 5 to 45 minutes ahead, so a refusal means the tablet's clock is off.
  if (error.code === 'INPUT_INVALID') return 'ETA not saved: the appliance refused the time. Check the tablet clock';
  return 'ETA not saved';
}

/** One-tap timeline (each step stamps the time) and the crew's notes. */
import { ApiError, api } from '../api.js';
import { button, clock, h, mount, toast } from '../dom.js';

const STEPS = [
  ['en_route', 'En route'], ['on_scene', 'On scene'], ['patient_contact', 'Patient contact'],
  ['transporting', 'Transporting'], ['at_destination', 'At destination'], ['handoff', 'Handoff'],
];

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
}

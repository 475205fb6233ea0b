/**
 * Handoff: one screen in MIST (for the verbal handover) and SBAR (for the written one), built
 * by the appliance from the case; printable. With the case's way to dispatch: queued, sent,
 * received by dispatch.
 */
import { api } from '../api.js';
import { button, clock, h, mount } from '../dom.js';

const SYNC_STEPS = [['queued', 'Queued'], ['sent', 'Sent'], ['received', 'Received by dispatch']];
/**
 * While the handoff is open the sync state is polled: the crew is waiting for "received". Elsewhere it
 * is not, so a tablet left on the vitals does not keep its session alive at the appliance.
 */
const SYNC_POLL_MS = 10_000;

/** @param {import('./case-shell.js').CaseContext} ctx @param {HTMLElement} host */
export function renderHandoff(ctx, host) {
  const load = async () => {
    try {
      const { handoff, sync } = await api.get(`/api/v1/cases/${ctx.caseId}/handoff`);
      if (host.isConnected) draw(handoff, sync);
    } catch {
      mount(host, h('h1', {}, 'Handoff'), h('p', { class: 'notice' }, 'The handoff cannot be built right now: the appliance did not answer.'));
    }
  };

  /** @param {any} handoff @param {any} sync */
  function draw(handoff, sync) {
    const { mist, sbar, patient } = handoff;
    mount(host,
      h('div', { class: 'print-only' }, h('p', {}, `HEMA3N Edge handoff · printed ${clock(Date.now())} · case ${handoff.caseId}`)),
      h('div', { class: 'row row--spread' },
        h('h1', {}, 'Handoff'),
        h('div', { class: 'row no-print' }, mount(steps, syncSteps(sync)), button('Print handoff', () => window.print(), { class: 'btn--primary', 'data-action': 'print' }))),
      h('section', { class: 'panel stack', 'aria-labelledby': 'pt-h', style: { marginBottom: '16px' } },
        h('h2', { id: 'pt-h' }, patient.description),
        h('p', {}, h('strong', {}, 'Allergies: '), patient.allergies.length ? patient.allergies.join(', ') : 'none recorded'),
        h('div', { class: 'times' }, handoff.times.map((/** @type {any} */ t) => h('span', {}, h('b', {}, `${t.label} `), clock(t.at))))),
      h('div', { class: 'handoff' },
        h('section', { class: 'panel', 'aria-labelledby': 'mist-h', 'data-panel': 'mist' },
          h('h2', { id: 'mist-h' }, 'MIST'),
          h('dl', {},
            h('dt', {}, 'M'), h('dd', {}, h('b', {}, 'Mechanism / complaint: '), mist.mechanism),
            h('dt', {}, 'I'), h('dd', {}, h('b', {}, 'Injuries / illness: '), mist.injuries.length ? list(mist.injuries) : 'none found by the monitor or crew screens'),
            h('dt', {}, 'S'), h('dd', {}, h('b', {}, 'Signs: '), list([
              mist.signs.first ? `First (${clock(mist.signs.first.at)}): ${vitalsText(mist.signs.first)}` : 'No device vitals',
              mist.signs.latest ? `Latest (${clock(mist.signs.latest.at)}): ${vitalsText(mist.signs.latest)}` : null,
              ...mist.signs.scores,
            ].filter(Boolean))),
            h('dt', {}, 'T'), h('dd', {}, h('b', {}, 'Treatment: '), mist.treatment.length ? h('ul', {}, mist.treatment.map((/** @type {any} */ t) => h('li', {},
              `${clock(t.at)} ${t.text}${t.by ? ` (${t.by})` : ''}`,
              t.override ? h('strong', { class: 'override-note' }, `Given despite a dose-check warning: ${t.override}`) : null))) : 'none recorded'),
          )),
        h('section', { class: 'panel', 'aria-labelledby': 'sbar-h', 'data-panel': 'sbar' },
          h('h2', { id: 'sbar-h' }, 'SBAR'),
          h('dl', {},
            h('dt', {}, 'S'), h('dd', {}, h('b', {}, 'Situation: '), sbar.situation),
            h('dt', {}, 'B'), h('dd', {}, h('b', {}, 'Background: '), list(sbar.background)),
            h('dt', {}, 'A'), h('dd', {}, h('b', {}, 'Assessment: '), list(sbar.assessment)),
            h('dt', {}, 'R'), h('dd', {}, h('b', {}, 'Recommendation: '), list(sbar.recommendation)),
          )),
      ),
      handoff.notes.length ? h('section', { class: 'panel', 'aria-labelledby': 'hn-h', style: { marginTop: '16px' } }, h('h2', { id: 'hn-h' }, 'Crew notes'),
        list(handoff.notes.map((/** @type {any} */ n) => `${clock(n.at)}${n.by ? ` ${n.by}` : ''}: ${n.text}`))) : null,
    );
  }

  const steps = h('div', { class: 'no-print' });
  const poll = setInterval(() => void api.get(`/api/v1/cases/${ctx.caseId}/sync`).then((sync) => mount(steps, syncSteps(sync)), () => undefined), SYNC_POLL_MS);

  /** @param {any} sync */
  function syncSteps(sync) {
    const reached = sync.state === 'received' ? 2 : sync.state === 'sent' ? 1 : 0;
    if (ctx.chart) ctx.chart.sync = sync;
    return h('div', { class: 'sync-steps', role: 'list', 'aria-label': 'Sync to dispatch', 'data-sync': sync.state },
      SYNC_STEPS.map(([state, label], i) => h('span', { role: 'listitem', class: `sync-step${i <= reached ? ' sync-step--done' : ''}`, 'aria-current': i === reached ? 'step' : undefined },
        i <= reached ? '✓ ' : '', label, state === 'queued' && sync.pending ? ` (${sync.pending})` : '')),
    );
  }

  mount(host, h('h1', {}, 'Handoff'), h('p', { class: 'muted' }, 'Building the handoff…'));
  void load();
  return () => clearInterval(poll);
}

/** @param {string[]} items */
function list(items) {
  return h('ul', {}, items.map((i) => h('li', {}, i)));
}

/** @param {{ values: Array<{label: string, value: number, unit: string}> }} line */
function vitalsText(line) {
  return line.values.map((v) => `${v.label} ${v.value} ${v.unit}`).join(', ');
}

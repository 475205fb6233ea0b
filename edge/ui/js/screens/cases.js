/** The case list: start a new case (unknown patient allowed) or open one. */
import { ApiError, api } from '../api.js';
import { offlineBanner, topbar } from '../components/topbar.js';
import { button, clock, h, mount, toast } from '../dom.js';

export const STATUS_LABEL = {
  dispatched: 'Dispatched', en_route: 'En route', on_scene: 'On scene', patient_contact: 'Patient contact',
  transporting: 'Transporting', at_destination: 'At destination', handoff: 'Handed off', closed: 'Closed',
};

/** @param {import('../main.js').shell} shell */
export function renderCases(shell) {
  const crew = /** @type {NonNullable<typeof shell.crew>} */ (shell.crew);
  const list = h('div', { class: 'case-list' }, h('p', { class: 'muted' }, 'Loading cases…'));
  const incident = /** @type {HTMLInputElement} */ (h('input', { class: 'input', id: 'incident', inputmode: 'text', autocomplete: 'off', placeholder: 'e.g. 2025-004127' }));

  const create = async () => {
    try {
      const body = incident.value.trim() ? { incidentNumber: incident.value.trim() } : {};
      const created = await api.post('/api/v1/cases', body);
      shell.navigate(`#/case/${created.id}/patient`);
    } catch (error) {
      toast(error instanceof ApiError ? error.message : 'Could not create the case', 'error');
    }
  };

  mount(shell.root,
    topbar(shell, { title: `${crew.name}`, subtitle: `Signed in · ${crew.role}`, actions: [button('Devices', () => shell.navigate('#/devices'))] }),
    offlineBanner(shell.reachable),
    h('main', { id: 'main', class: 'screen', tabindex: '0' },
      h('div', { class: 'grid-2' },
        h('section', { class: 'panel stack', 'aria-labelledby': 'new-case' },
          h('h1', { id: 'new-case' }, 'New case'),
          h('p', { class: 'muted' }, 'Start now; the patient can stay unknown and be identified later.'),
          h('label', { class: 'field', for: 'incident' }, 'Incident number (optional)'),
          incident,
          button('+ Start new case', create, { class: 'btn--primary btn--big btn--block', 'data-action': 'new-case' }),
        ),
        h('section', { class: 'stack', 'aria-labelledby': 'recent' }, h('h2', { id: 'recent' }, 'Cases on this appliance'), list),
      ),
    ),
  );

  void api.get('/api/v1/cases').then(
    (cases) => {
      mount(list, cases.length === 0 ? h('p', { class: 'muted' }, 'No cases yet.') : cases.map((c) => caseRow(shell, c)));
    },
    () => mount(list, h('p', { class: 'notice' }, 'The case list cannot be loaded right now.')),
  );
}

/** @param {import('../main.js').shell} shell @param {any} c */
function caseRow(shell, c) {
  return button([
    h('span', { class: `esi esi--${c.acuity ?? 'none'}` }, c.acuity ? `ESI ${c.acuity}` : 'ESI –'),
    h('span', {}, h('strong', {}, c.incidentNumber ?? 'No incident number'), h('br'), h('small', { class: 'muted' }, `Started ${clock(c.createdAt)}`)),
    h('span', {}, STATUS_LABEL[/** @type {keyof typeof STATUS_LABEL} */ (c.status)] ?? c.status),
    h('span', { class: 'muted' }, `Updated ${clock(c.updatedAt)}`),
  ], () => shell.navigate(`#/case/${c.id}/vitals`), { class: 'case-row', 'data-case': c.id });
}

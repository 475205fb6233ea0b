/** Devices and their connection state: what a field technician works with (no patient data). */
import { api } from '../api.js';
import { offlineBanner, topbar } from '../components/topbar.js';
import { button, clock, h, mount } from '../dom.js';

const REFRESH_MS = 5000;

/** @param {import('../main.js').shell} shell */
export function renderDevices(shell) {
  const crew = /** @type {NonNullable<typeof shell.crew>} */ (shell.crew);
  const list = h('div', { class: 'stack' }, h('p', { class: 'muted' }, 'Loading devices…'));
  const clinical = crew.role !== 'technician';
  mount(shell.root,
    topbar(shell, { title: 'Devices', subtitle: `${crew.name} · ${crew.role}`, actions: clinical ? [button('Cases', () => shell.navigate('#/cases'))] : [] }),
    offlineBanner(shell.reachable),
    h('main', { id: 'main', class: 'screen', tabindex: '0' },
      h('h1', {}, 'Connected devices'),
      clinical ? null : h('p', { class: 'notice' }, 'Technician access: devices and appliance status only. Patient information is not shown to this role.'),
      list,
    ),
  );

  const load = async () => {
    if (!list.isConnected) return;
    try {
      const devices = await api.get('/api/v1/devices');
      mount(list, devices.length === 0 ? h('p', { class: 'muted' }, 'No devices registered (hema3n devices add).') : h('table', { class: 'given' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Device'), h('th', { scope: 'col' }, 'Kind'), h('th', { scope: 'col' }, 'Connection'), h('th', { scope: 'col' }, 'Since'))),
        h('tbody', {}, devices.map((d) => h('tr', {},
          h('td', {}, d.id),
          h('td', {}, d.kind),
          h('td', {}, h('span', { class: `device ${d.online ? 'device--online' : 'device--offline'}` }, d.revoked ? 'Revoked' : d.online ? 'Connected' : 'Not connected')),
          h('td', {}, d.changedAt ? clock(d.changedAt) : '—'),
        ))),
      ));
    } catch {
      mount(list, h('p', { class: 'notice' }, 'Device status cannot be loaded right now.'));
    }
    setTimeout(load, REFRESH_MS);
  };
  void load();
}

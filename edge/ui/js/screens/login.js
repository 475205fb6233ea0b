/**
 * Crew login: pick yourself, type your personal PIN on a glove-sized keypad. Also the lock
 * screen: the same screen, with why it locked.
 */
import { ApiError, api } from '../api.js';
import { button, h, mount } from '../dom.js';
import { currentTheme, toggleTheme } from '../theme.js';

const ROLE_LABEL = { paramedic: 'Paramedic', technician: 'Field technician', supervisor: 'Supervisor' };
const RETRY_MS = 5000;

/** @param {import('../main.js').shell} shell @param {string} [message] */
export function renderLogin(shell, message) {
  /** @type {{ crew: Array<{id: string, name: string, role: keyof typeof ROLE_LABEL}> | null, selected: string | null, pin: string, error: string | null, busy: boolean, offline: boolean }} */
  const state = { crew: null, selected: null, pin: '', error: null, busy: false, offline: false };
  /** @type {ReturnType<typeof setTimeout> | null} */
  let retry = null;

  const screen = h('main', { id: 'main', class: 'screen screen--center' });
  mount(shell.root, h('header', { class: 'topbar' },
    h('div', { class: 'title' }, h('strong', {}, 'HEMA3N Edge'), h('span', {}, message ? 'Screen locked' : 'Ambulance appliance')),
    button(currentTheme() === 'night' ? 'Day mode' : 'Night mode', () => {
      toggleTheme();
      render();
    }, { class: 'theme-toggle' }),
  ), screen);

  const load = async () => {
    try {
      state.crew = await api.get('/api/v1/crew');
      state.offline = false;
    } catch {
      state.offline = true;
      retry = setTimeout(load, RETRY_MS);
    }
    render();
  };

  const submit = async () => {
    if (!state.selected || state.pin.length < 4 || state.busy) return;
    state.busy = true;
    render();
    try {
      const session = await api.post('/api/v1/sessions', { crewId: state.selected, pin: state.pin });
      if (retry) clearTimeout(retry);
      shell.loggedIn(session);
    } catch (error) {
      state.pin = '';
      state.busy = false;
      state.error = loginFailure(error);
      render();
    }
  };

  /** @param {string} key */
  const press = (key) => {
    state.error = null;
    if (key === 'clear') state.pin = '';
    else if (key === 'back') state.pin = state.pin.slice(0, -1);
    else if (state.pin.length < 12) state.pin += key;
    render();
  };

  function render() {
    const themeButton = shell.root.querySelector('.theme-toggle');
    if (themeButton) themeButton.textContent = currentTheme() === 'night' ? 'Day mode' : 'Night mode';
    const chosen = state.crew?.find((c) => c.id === state.selected);
    mount(screen, h('div', { class: 'login' },
      h('section', { class: 'stack', 'aria-labelledby': 'who' },
        message ? h('p', { class: 'notice', role: 'status' }, message) : null,
        h('h1', { id: 'who' }, 'Who is signing in?'),
        state.offline ? h('p', { class: 'notice', role: 'alert' }, 'The appliance cannot be reached. Retrying…') : null,
        state.crew === null && !state.offline ? h('p', { class: 'muted' }, 'Loading crew…') : null,
        state.crew?.length === 0 ? h('p', { class: 'notice' }, 'No crew registered. A technician adds crew with: hema3n crew add') : null,
        h('div', { class: 'crew-list', role: 'group', 'aria-label': 'Crew members' },
          (state.crew ?? []).map((member) =>
            button([h('span', {}, member.name), h('small', {}, ROLE_LABEL[member.role] ?? member.role)], () => {
              state.selected = member.id;
              state.pin = '';
              state.error = null;
              render();
            }, { 'aria-pressed': String(member.id === state.selected), 'data-crew': member.name }),
          ),
        ),
      ),
      h('section', { class: 'panel stack', 'aria-labelledby': 'pin-heading' },
        h('h2', { id: 'pin-heading' }, chosen ? `PIN for ${chosen.name}` : 'Choose your name first'),
        h('div', { class: 'pin-dots', 'aria-label': `${state.pin.length} digits entered`, role: 'img' },
          Array.from({ length: Math.max(4, state.pin.length) }, (_, i) => h('span', { class: i < state.pin.length ? 'on' : '' })),
        ),
        state.error ? h('p', { class: 'error', role: 'alert' }, state.error) : null,
        h('div', { class: 'pinpad', role: 'group', 'aria-label': 'PIN keypad' },
          ['1', '2', '3', '4', '5', '6', '7', '8', '9'].map((d) => button(d, () => press(d), { disabled: !chosen || state.busy, 'aria-label': `digit ${d}` })),
          button('Clear', () => press('clear'), { disabled: !chosen || state.busy }),
          button('0', () => press('0'), { disabled: !chosen || state.busy, 'aria-label': 'digit 0' }),
          button('⌫', () => press('back'), { disabled: !chosen || state.busy, 'aria-label': 'Delete last digit' }),
        ),
        button(state.busy ? 'Checking…' : 'Unlock', submit, { class: 'btn--primary btn--big btn--block', disabled: !chosen || state.pin.length < 4 || state.busy }),
      ),
    ));
  }

  render();
  void load();
}

/** @param {unknown} error */
function loginFailure(error) {
  if (!(error instanceof ApiError)) return 'The appliance cannot be reached.';
  if (error.code === 'UNAUTHENTICATED') return 'Wrong PIN. Try again.';
  // The appliance's own words: how long this login stays locked.
  if (error.code === 'PIN_LOCKED') return `${error.message} Another crew member can log in meanwhile.`;
  return 'The appliance cannot be reached.';
}

/** The bar across the top of every signed-in screen: where you are, the time, night mode and lock. */
import { button, clock, h } from '../dom.js';
import { currentTheme, toggleTheme } from '../theme.js';

/**
 * @param {import('../main.js').shell} shell
 * @param {{ title: string, subtitle?: string, chips?: unknown[], actions?: unknown[] }} parts
 */
export function topbar(shell, parts) {
  const time = h('span', { class: 'clock', 'aria-label': 'Time' }, clock(Date.now()));
  const ticker = setInterval(() => {
    if (!time.isConnected) clearInterval(ticker);
    else time.textContent = clock(Date.now());
  }, 5000);
  // A toggle: its name stays "Night", its pressed state says whether night mode is on.
  const themeButton = button('Night', () => {
    toggleTheme();
    themeButton.setAttribute('aria-pressed', String(currentTheme() === 'night'));
  }, { 'data-action': 'theme', 'aria-pressed': String(currentTheme() === 'night') });
  return h('header', { class: 'topbar' },
    h('div', { class: 'title' }, h('strong', {}, parts.title), parts.subtitle ? h('span', {}, parts.subtitle) : null),
    ...(parts.chips ?? []),
    ...(parts.actions ?? []),
    time,
    themeButton,
    button(`Lock · ${shell.crew?.name.split(' ')[0] ?? ''}`, () => shell.lock('Locked'), { 'data-action': 'lock' }),
  );
}

/** The banner shown while the appliance cannot be reached. */
export function offlineBanner(reachable = true) {
  const banner = h('div', { class: 'banner banner--offline', role: 'alert', hidden: reachable },
    h('span', { class: 'icon', 'aria-hidden': 'true' }, '⚠'),
    h('span', { class: 'grow' }, 'Appliance unreachable: showing the last data received. Retrying…'),
  );
  /** @param {Event} event */
  const onChange = (event) => {
    if (!banner.isConnected) return window.removeEventListener('hema3n:reachability', onChange);
    banner.hidden = /** @type {CustomEvent} */ (event).detail === true;
  };
  window.addEventListener('hema3n:reachability', onChange);
  return banner;
}

/**
 * HEMA3N Edge tablet app: bootstrap and routing. Screens live in ./screens; each renders into
 * the #app element and receives the shell context below.
 *
 * Routes (hash, so the app shell is one cached page):
 *   #/cases · #/devices · #/case/<id>/<tab>   (tabs: vitals, triage, patient, timeline, treat, capture, handoff)
 */
import { api, configureApi, setToken } from './api.js';
import { h, mount } from './dom.js';
import { createAutoLock } from './lock.js';
import { openCase } from './screens/case-shell.js';
import { renderCases } from './screens/cases.js';
import { renderDevices } from './screens/devices.js';
import { renderLogin } from './screens/login.js';
import { restoreTheme } from './theme.js';

/** @typedef {{ id: string, name: string, role: 'paramedic' | 'technician' | 'supervisor' }} Crew */

const root = /** @type {HTMLElement} */ (document.getElementById('app'));

/** The shell every screen gets. */
export const shell = {
  /** @type {Crew | null} */
  crew: null,
  /** Where to go back to after a lock. */
  resumeAt: '#/cases',
  /** @type {{ caseId: string, show: (tab: string) => void, dispose: () => void } | null} */
  caseView: null,
  reachable: true,
  root,
  /** @param {string} hash */
  navigate(hash) {
    if (location.hash === hash) route();
    else location.hash = hash;
  },
  /** Locks the screen: the token is dropped here and at the appliance. @param {string} [why] */
  lock(why = 'Locked after inactivity') {
    if (!shell.crew) return;
    autoLock.stop();
    shell.caseView?.dispose();
    shell.caseView = null;
    shell.resumeAt = location.hash || '#/cases';
    void api.del('/api/v1/sessions/current').catch(() => undefined);
    setToken(null);
    shell.crew = null;
    renderLogin(shell, why);
  },
  /** @param {{ token: string, crew: Crew }} session */
  loggedIn(session) {
    setToken(session.token);
    shell.crew = session.crew;
    autoLock.start();
    const target = shell.resumeAt;
    shell.resumeAt = '#/cases';
    shell.navigate(session.crew.role === 'technician' && target.startsWith('#/case/') ? '#/devices' : target);
  },
};

const autoLock = createAutoLock(() => shell.lock('Locked after inactivity'));

configureApi({
  onUnauthenticated: () => shell.lock('Your session ended: log in again'),
  onReachability: (reachable) => {
    if (reachable === shell.reachable) return;
    shell.reachable = reachable;
    window.dispatchEvent(new CustomEvent('hema3n:reachability', { detail: reachable }));
  },
});

function route() {
  if (!shell.crew) {
    renderLogin(shell);
    return;
  }
  const [, screen, id, tab] = location.hash.split('/');
  if (screen === 'case' && id) {
    if (shell.caseView?.caseId !== id) {
      shell.caseView?.dispose();
      shell.caseView = openCase(shell, id);
    }
    shell.caseView.show(tab || 'vitals');
    return;
  }
  shell.caseView?.dispose();
  shell.caseView = null;
  if (screen === 'devices' || shell.crew.role === 'technician') renderDevices(shell);
  else renderCases(shell);
}

function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {
    // Without a worker the app still runs; it just cannot reload while the appliance is out of reach.
  });
}

restoreTheme();
registerServiceWorker();
window.addEventListener('hashchange', route);
mount(root, h('main', { id: 'main', class: 'screen screen--center' }, h('h1', { class: 'splash' }, 'HEMA3N Edge')));
route();

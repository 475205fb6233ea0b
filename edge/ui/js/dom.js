/**
 * Tiny DOM helpers. Text always goes in as text nodes, never as HTML: patient data cannot
 * become markup.
 */

/**
 * Builds an element. Attributes starting with "on" become listeners; `class`, `dataset`,
 * `style` (an object) and boolean attributes are handled; children may be strings, nodes,
 * arrays or null.
 * @param {string} tag
 * @param {Record<string, unknown>} [attrs]
 * @param {...unknown} children
 * @returns {HTMLElement}
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2).toLowerCase(), /** @type {EventListener} */ (value));
    else if (name === 'class') el.className = String(value);
    else if (name === 'dataset') Object.assign(el.dataset, value);
    // Through the CSSOM, which the page's Content-Security-Policy allows (style attributes it does not).
    else if (name === 'style' && typeof value === 'object') Object.assign(el.style, value);
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, String(value));
  }
  append(el, children);
  return el;
}

/** @param {Node} parent @param {unknown[]} children */
function append(parent, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces the children of `el`. @param {Element} el @param {...unknown} children */
export function mount(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A big button. @param {string} label @param {() => void} onClick @param {Record<string, unknown>} [attrs] */
export function button(label, onClick, attrs = {}) {
  const { class: extra, ...rest } = attrs;
  return h('button', { type: 'button', class: `btn ${extra ?? ''}`.trim(), onclick: onClick, ...rest }, label);
}

/** 24-hour clock time, as crews write it. @param {number | null | undefined} at */
export function clock(at) {
  if (at === null || at === undefined) return '—';
  const d = new Date(at);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

/** Time with seconds. @param {number} at */
export function clockSeconds(at) {
  const d = new Date(at);
  return `${clock(at)}:${String(d.getSeconds()).padStart(2, '0')}`;
}

/** "12 s ago", "4 min ago". @param {number} at @param {number} now */
export function ago(at, now = Date.now()) {
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 60) return `${s} s ago`;
  const m = Math.round(s / 60);
  return m < 120 ? `${m} min ago` : `${Math.round(m / 60)} h ago`;
}

/** Shows a short message at the bottom of the screen. @param {string} text @param {'info' | 'error'} [kind] */
export function toast(text, kind = 'info') {
  const host = document.getElementById('toasts');
  if (!host) return;
  // One at a time: a stack of confirmations would cover the screen the crew is working on.
  const el = h('div', { class: `toast${kind === 'error' ? ' toast--error' : ''}` }, text);
  mount(host, el);
  setTimeout(() => el.remove(), kind === 'error' ? 6000 : 2500);
}

/**
 * A modal sheet. Resolves with what `build` passes to its `close`, or null when dismissed.
 * @template T
 * @param {string} title
 * @param {(close: (value: T | null) => void) => unknown} build
 * @returns {Promise<T | null>}
 */
export function sheet(title, build) {
  return new Promise((resolve) => {
    const headingId = `sheet-${Math.random().toString(36).slice(2)}`;
    const dialog = /** @type {HTMLDialogElement} */ (h('dialog', { class: 'sheet', 'aria-labelledby': headingId }));
    /** @param {T | null} value */
    const close = (value) => {
      dialog.close();
      dialog.remove();
      resolve(value);
    };
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      close(null);
    });
    mount(dialog, h('h2', { id: headingId }, title), build(close));
    document.body.appendChild(dialog);
    dialog.showModal();
  });
}

import { createHash } from 'node:crypto';

/**
 * The dispatch board: one self-contained page (no fonts, scripts or images from elsewhere, so it
 * works on an isolated dispatch network), dark and high-contrast for a night shift. Acuity is
 * shown as a number and a word as well as a colour. The script builds every element with
 * textContent, never innerHTML, so nothing that arrives can become markup.
 */
const STYLE = `
:root { color-scheme: dark; --bg: #000; --card: #121212; --line: #3a3a3a; --text: #f2f2f2; --dim: #c8c8c8; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text); font: 20px/1.35 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
header { display: flex; align-items: baseline; gap: 1.5rem; padding: 0.75rem 1.25rem; border-bottom: 2px solid var(--line); }
h1 { font-size: 1.6rem; margin: 0; flex: 1; }
#status { font-weight: 700; padding: 0.1rem 0.6rem; border-radius: 0.3rem; }
#status.ok { background: #1f6f2b; color: #fff; }
#status.bad { background: #ffd60a; color: #000; }
main { display: grid; gap: 0.9rem; padding: 1rem 1.25rem; }
#empty { padding: 2rem 1.25rem; color: var(--dim); font-size: 1.3rem; }
.case { display: grid; grid-template-columns: 7rem 1fr; background: var(--card); border: 2px solid var(--line); border-radius: 0.6rem; overflow: hidden; }
.case.fresh { border-color: #fff; }
.esi { display: flex; flex-direction: column; align-items: center; justify-content: center; color: #000; font-weight: 800; }
.esi .level { font-size: 3.4rem; line-height: 1; }
.esi .word { font-size: 0.95rem; text-transform: uppercase; letter-spacing: 0.05em; }
.esi-1 .esi { background: #ff4d4d; } .esi-2 .esi { background: #ff9f1a; } .esi-3 .esi { background: #ffd60a; }
.esi-4 .esi { background: #4cd964; } .esi-5 .esi { background: #64d2ff; } .esi-none .esi { background: #8e8e93; }
.body { padding: 0.6rem 1rem; display: grid; gap: 0.4rem; }
.top { display: flex; flex-wrap: wrap; gap: 1.25rem; align-items: baseline; }
.eta { font-size: 1.5rem; font-weight: 800; }
.case-id, .age { color: var(--dim); }
.age.stale { color: #ffd60a; font-weight: 700; }
.vitals { display: flex; flex-wrap: wrap; gap: 0.5rem 1.4rem; margin: 0; padding: 0; list-style: none; }
.vitals li { white-space: nowrap; }
.vitals .label { color: var(--dim); margin-right: 0.35rem; }
.vitals .value { font-size: 1.55rem; font-weight: 800; }
.vitals .unit { color: var(--dim); margin-left: 0.2rem; font-size: 0.9rem; }
.trend { margin-left: 0.3rem; font-weight: 800; }
.ai { font-size: 1.1rem; }
.ai .label { color: var(--dim); }
.photos { display: flex; gap: 0.5rem; flex-wrap: wrap; }
.photos img { height: 84px; border: 1px solid var(--line); border-radius: 0.3rem; background: #222; }
`;

const SCRIPT = `
(function () {
  'use strict';
  var cases = new Map();
  var skew = 0;
  var list = document.getElementById('cases');
  var empty = document.getElementById('empty');
  var statusBox = document.getElementById('status');
  var WORDS = { 1: 'Resuscitation', 2: 'Emergent', 3: 'Urgent', 4: 'Less urgent', 5: 'Non-urgent' };
  var ARROWS = { rising: '↑', falling: '↓', steady: '→' };
  var TREND_WORDS = { rising: 'rising', falling: 'falling', steady: 'steady' };
  var UNITS = { 'Cel': '°C', '[degF]': '°F', 'mm[Hg]': 'mmHg', '/min': '/min', '%': '%', 'mg/dL': 'mg/dL', 'mmol/L': 'mmol/L' };

  function now() { return Date.now() + skew; }
  function keyOf(c) { return c.applianceId + '|' + c.caseId; }
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function ago(ms) {
    var s = Math.max(0, Math.round((now() - ms) / 1000));
    if (s < 60) return 'updated ' + s + ' s ago';
    var m = Math.floor(s / 60);
    if (m < 60) return 'updated ' + m + ' min ago';
    return 'updated ' + Math.floor(m / 60) + ' h ' + (m % 60) + ' min ago';
  }
  function etaText(ms) {
    if (ms === null || ms === undefined) return 'ETA —';
    var m = Math.round((ms - now()) / 60000);
    return m <= 0 ? 'Arriving' : 'ETA ' + m + ' min';
  }
  function number(v) { return Math.abs(v) >= 100 ? String(Math.round(v)) : String(Math.round(v * 10) / 10); }

  function vitalItem(v) {
    var item = el('li');
    item.append(el('span', 'label', v.label), el('span', 'value', number(v.value)), el('span', 'unit', UNITS[v.unit] || v.unit));
    if (v.trend) {
      var arrow = el('span', 'trend', ARROWS[v.trend]);
      arrow.title = TREND_WORDS[v.trend];
      arrow.setAttribute('aria-label', TREND_WORDS[v.trend]);
      item.append(arrow);
    }
    return item;
  }

  function card(c) {
    var level = c.acuity ? String(c.acuity) : 'none';
    var node = el('article', 'case esi-' + level);
    if (now() - c.updatedAt < 10000) node.classList.add('fresh');
    var esi = el('div', 'esi');
    esi.append(el('span', 'level', c.acuity ? String(c.acuity) : '?'), el('span', 'word', c.acuity ? 'ESI ' + c.acuity : 'ESI pending'));
    esi.title = c.acuity ? WORDS[c.acuity] : 'No acuity yet';
    var body = el('div', 'body');
    var top = el('div', 'top');
    var eta = el('span', 'eta', etaText(c.eta));
    eta.dataset.eta = c.eta === null ? '' : String(c.eta);
    var age = el('span', 'age', ago(c.updatedAt));
    age.dataset.updated = String(c.updatedAt);
    top.append(eta, el('span', 'case-id', 'case ' + c.caseId.slice(0, 8)), age);
    body.append(top);
    if (c.vitals.length > 0) {
      var vitals = el('ul', 'vitals');
      c.vitals.forEach(function (v) { vitals.append(vitalItem(v)); });
      body.append(vitals);
    }
    if (c.assessment) {
      var ai = el('div', 'ai');
      var confidence = c.assessment.confidence === null ? '' : ' ' + Math.round(c.assessment.confidence * 100) + '%';
      ai.append(el('span', 'label', 'AI assessment: '), el('strong', '', c.assessment.condition + confidence));
      body.append(ai);
    }
    if (c.photos.length > 0) {
      var photos = el('div', 'photos');
      c.photos.forEach(function (p) {
        var img = el('img');
        img.src = '/dispatch/photos/' + encodeURIComponent(p.binaryId);
        img.alt = 'Case photo';
        img.loading = 'lazy';
        photos.append(img);
      });
      body.append(photos);
    }
    node.append(esi, body);
    return node;
  }

  function render() {
    var sorted = Array.from(cases.values()).sort(function (a, b) {
      return (a.acuity || 6) - (b.acuity || 6) || b.updatedAt - a.updatedAt;
    });
    list.replaceChildren.apply(list, sorted.map(card));
    empty.hidden = sorted.length > 0;
  }

  function tick() {
    list.querySelectorAll('.age').forEach(function (node) {
      var updated = Number(node.dataset.updated);
      node.textContent = ago(updated);
      node.classList.toggle('stale', now() - updated > 300000);
    });
    list.querySelectorAll('.eta').forEach(function (node) {
      node.textContent = etaText(node.dataset.eta === '' ? null : Number(node.dataset.eta));
    });
    list.querySelectorAll('.case.fresh').forEach(function (node) { node.classList.remove('fresh'); });
  }

  function setStatus(text, kind) {
    statusBox.textContent = text;
    statusBox.className = kind;
  }

  var source = new EventSource('/dispatch/events');
  source.addEventListener('snapshot', function (event) {
    var data = JSON.parse(event.data);
    skew = data.serverTime - Date.now();
    cases.clear();
    data.cases.forEach(function (c) { cases.set(keyOf(c), c); });
    render();
  });
  source.addEventListener('case', function (event) {
    var data = JSON.parse(event.data);
    skew = data.serverTime - Date.now();
    cases.set(keyOf(data.case), data.case);
    render();
  });
  source.onopen = function () { setStatus('live', 'ok'); };
  source.onerror = function () { setStatus('reconnecting…', 'bad'); };
  setInterval(tick, 5000);
})();
`;

function sha256Source(source: string): string {
  return `'sha256-${createHash('sha256').update(source).digest('base64')}'`;
}

export const DISPATCH_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>HEMA3N dispatch board</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>HEMA3N incoming cases</h1><span id="status" role="status">connecting…</span></header>
<main id="cases" aria-live="polite"></main>
<p id="empty">No incoming cases.</p>
<script>${SCRIPT}</script>
</body>
</html>
`;

/** Only this page's own script and style run; images and the event stream come from this origin alone. */
export const DISPATCH_PAGE_CSP = [
  "default-src 'none'",
  `script-src ${sha256Source(SCRIPT)}`,
  `style-src ${sha256Source(STYLE)}`,
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

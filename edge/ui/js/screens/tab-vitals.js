/** Live vitals: current values large, the ECG strip, trends, and which devices are connected. */
import { ecgStrip } from '../components/ecg-strip.js';
import { trendChart } from '../components/trend-chart.js';
import { ago, h, mount } from '../dom.js';

/** A reading older than this is shown faded and says how old it is. */
const STALE_MS = { SBP: 15 * 60_000, DBP: 15 * 60_000, TEMP: 60 * 60_000, GLUCOSE: 60 * 60_000 };
const DEFAULT_STALE_MS = 60_000;
const TREND_WINDOW_MS = 30 * 60_000;

/**
 * Adult ranges that earn a tile its "out of range" mark (NEWS2 score 2 or more, RCP 2017; glucose
 * and EtCO2 by common prehospital practice). Children: the triage card's PALS ranges, no mark here.
 */
const ADULT_RANGES = {
  HR: [51, 110], RR: [12, 20], SPO2: [94, 100], SBP: [101, 219], TEMP: [35.1, 39.0], ETCO2: [35, 45], GLUCOSE: [70, 250],
};

const TILES = [
  { codes: ['HR'], label: 'Heart rate', unit: '/min' },
  { codes: ['SPO2'], label: 'SpO₂', unit: '%' },
  { codes: ['SBP', 'DBP'], label: 'Blood pressure', unit: 'mmHg' },
  { codes: ['RR'], label: 'Resp. rate', unit: '/min' },
  { codes: ['ETCO2'], label: 'EtCO₂', unit: 'mmHg' },
  { codes: ['TEMP'], label: 'Temperature', unit: '°C' },
  { codes: ['GLUCOSE'], label: 'Glucose', unit: 'mg/dL' },
];

/** @param {import('./case-shell.js').CaseContext} ctx @param {HTMLElement} host */
export function renderVitals(ctx, host) {
  const { live } = ctx;
  const tiles = h('div', { class: 'vitals-grid', 'aria-live': 'off' });
  const devices = h('div', { class: 'devices', 'aria-label': 'Device connections' });
  const link = h('span', { class: 'muted' });
  const ecg = ecgStrip(live);
  const hrBp = trendChart(live, {
    title: 'Heart rate and blood pressure', windowMs: TREND_WINDOW_MS,
    series: [{ code: 'HR', label: 'HR', color: '--chart-1', scale: 'y' }, { code: 'SBP', label: 'SBP', color: '--chart-2', scale: 'y' }, { code: 'DBP', label: 'DBP', color: '--chart-3', scale: 'y' }],
    scales: { y: [30, 200] },
  });
  const resp = trendChart(live, {
    title: 'SpO₂, respiration and EtCO₂', windowMs: TREND_WINDOW_MS,
    series: [{ code: 'SPO2', label: 'SpO₂ %', color: '--chart-1', scale: 'spo2' }, { code: 'RR', label: 'RR', color: '--chart-2', scale: 'y2' }, { code: 'ETCO2', label: 'EtCO₂', color: '--chart-3', scale: 'y2' }],
    scales: { spo2: [70, 100], y2: [0, 60] },
  });
  const adult = () => (ctx.chart.case.patient.ageYears ?? 99) >= 16;

  const drawTiles = () => {
    const now = Date.now();
    mount(tiles, TILES.map((tile) => {
      const readings = tile.codes.map((c) => live.latest.get(c));
      const first = readings[0];
      const staleAfter = STALE_MS[/** @type {keyof typeof STALE_MS} */ (tile.codes[0])] ?? DEFAULT_STALE_MS;
      const stale = !first || now - first.at > staleAfter;
      const abnormal = adult() && tile.codes.some((code, i) => outOfRange(code, readings[i]?.value));
      const value = first ? readings.map((r) => (r ? format(r.value) : '–')).join('/') : '–';
      return h('div', { class: `vital${stale ? ' vital--stale' : ''}${abnormal ? ' vital--abnormal' : ''}`, 'data-vital': tile.codes.join('-') },
        h('div', { class: 'label' }, h('span', {}, tile.label)),
        h('div', { class: 'value' }, value, h('small', {}, tile.unit)),
        h('div', { class: 'age' }, first ? ago(first.at, Math.max(now, first.at)) : 'no reading'),
      );
    }), h('div', { class: 'vital', 'data-vital': 'rhythm' },
      h('div', { class: 'label' }, h('span', {}, 'Monitor rhythm')),
      h('div', { class: 'value value--text' }, live.rhythm ?? '–'),
      h('div', { class: 'age' }, live.rhythm ? ago(live.rhythmAt, Math.max(now, live.rhythmAt)) : 'not reported'),
    ));
  };

  const drawDevices = () => {
    const all = [...live.devices.entries()].sort(([a], [b]) => a.localeCompare(b));
    mount(devices, all.length === 0 ? h('span', { class: 'muted' }, 'No devices registered') : all.map(([id, d]) =>
      h('span', { class: `device ${d.online ? 'device--online' : 'device--offline'}` }, `${id}: ${d.online ? 'connected' : 'not connected'}`)));
  };

  const drawLink = () => {
    link.textContent = live.connected ? 'Live' : 'Live link lost: reconnecting…';
  };

  mount(host,
    h('h1', { class: 'sr-only' }, 'Live vitals'),
    tiles,
    ecg.element,
    h('div', { class: 'charts' }, hrBp.element, resp.element),
    h('div', { class: 'row' }, h('strong', {}, 'Devices'), devices, link),
  );
  drawTiles();
  drawDevices();
  drawLink();
  let tileTimer = /** @type {ReturnType<typeof setTimeout> | null} */ (null);
  const scheduleTiles = () => {
    if (!tileTimer) tileTimer = setTimeout(() => { tileTimer = null; drawTiles(); }, 250);
  };
  const ageTicker = setInterval(drawTiles, 5000);
  const unsubscribe = [live.on('vitals', scheduleTiles), live.on('devices', drawDevices), live.on('link', drawLink)];
  return () => {
    unsubscribe.forEach((fn) => fn());
    clearInterval(ageTicker);
    if (tileTimer) clearTimeout(tileTimer);
    ecg.dispose();
    hrBp.dispose();
    resp.dispose();
  };
}

/** @param {string} code @param {number | undefined} value */
function outOfRange(code, value) {
  const range = ADULT_RANGES[/** @type {keyof typeof ADULT_RANGES} */ (code)];
  return value !== undefined && range !== undefined && (value < range[0] || value > range[1]);
}

/** @param {number} value */
function format(value) {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

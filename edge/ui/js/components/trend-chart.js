/**
 * A vital-sign trend drawn with uPlot (served by the appliance from its own node_modules, so it
 * works with no internet). Redrawn at most once a second however fast the devices send.
 */
import uPlot from '/vendor/uplot/uPlot.esm.js';
import { clock, h } from '../dom.js';
import { themeColor } from '../theme.js';

const REDRAW_MS = 1000;
const HEIGHT = 150;

/**
 * @param {import('../live-state.js').LiveState} live
 * @param {{ title: string, windowMs: number, series: Array<{ code: string, label: string, color: string, scale: string }>, scales: Record<string, [number, number]> }} spec
 * @returns {{ element: HTMLElement, dispose: () => void }}
 */
export function trendChart(live, spec) {
  const plotHost = h('div', { role: 'img', 'aria-label': `${spec.title}, trend over the last ${Math.round(spec.windowMs / 60000)} minutes` });
  const legend = h('div', { class: 'row', 'aria-hidden': 'true' }, spec.series.map((s) => h('span', { class: 'legend-item', dataset: { color: s.color } }, `━ ${s.label}`)));
  const element = h('section', { class: 'chart-box', 'aria-label': spec.title }, h('h3', {}, spec.title), plotHost, legend);
  /** @type {uPlot | null} */
  let plot = null;
  /** @type {ReturnType<typeof setTimeout> | null} */
  let pending = null;

  const data = () => live.columns(spec.series.map((s) => s.code), spec.windowMs);

  const build = () => {
    plot?.destroy();
    const text = themeColor('--text');
    const grid = themeColor('--surface-2');
    for (const item of legend.querySelectorAll('.legend-item')) /** @type {HTMLElement} */ (item).style.color = themeColor(/** @type {HTMLElement} */ (item).dataset.color ?? '--text');
    const scaleNames = Object.keys(spec.scales);
    plot = new uPlot({
      width: Math.max(200, plotHost.clientWidth || element.clientWidth - 12),
      height: HEIGHT,
      legend: { show: false },
      cursor: { drag: { x: false, y: false }, points: { show: false } },
      scales: { x: { time: true }, ...Object.fromEntries(Object.entries(spec.scales).map(([name, range]) => [name, { range }])) },
      axes: [
        { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid }, font: '15px system-ui', values: (_u, ticks) => ticks.map((t) => clock(t * 1000)) },
        ...scaleNames.map((name, i) => ({ scale: name, side: i === 0 ? 3 : 1, stroke: text, grid: { show: i === 0, stroke: grid, width: 1 }, ticks: { stroke: grid }, font: '15px system-ui', size: 48 })),
      ],
      series: [{}, ...spec.series.map((s) => ({ label: s.label, scale: s.scale, stroke: themeColor(s.color), width: 2.5, spanGaps: true, points: { show: false } }))],
    }, /** @type {any} */ (data()), plotHost);
  };

  const update = () => {
    pending = null;
    if (plot) plot.setData(/** @type {any} */ (data()));
  };
  const schedule = () => {
    if (!pending) pending = setTimeout(update, REDRAW_MS);
  };
  const unsubscribe = live.on('vitals', schedule);
  const rebuild = () => build();
  window.addEventListener('hema3n:theme', rebuild);
  // Built once the element is in the page and has a width.
  requestAnimationFrame(build);
  return {
    element,
    dispose() {
      unsubscribe();
      window.removeEventListener('hema3n:theme', rebuild);
      if (pending) clearTimeout(pending);
      plot?.destroy();
    },
  };
}

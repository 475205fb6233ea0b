/**
 * The ECG strip: lead II from the monitor's waveform stream, the last few seconds on a paper-like
 * grid (0.2 s and 0.5 mV major lines). Gaps in the signal stay gaps.
 */
import { h } from '../dom.js';
import { ECG_SECONDS } from '../live-state.js';
import { themeColor } from '../theme.js';

const MV_TOP = 1.8;
const MV_BOTTOM = -0.8;

/** @param {import('../live-state.js').LiveState} live @returns {{ element: HTMLElement, dispose: () => void }} */
export function ecgStrip(live) {
  const canvas = /** @type {HTMLCanvasElement} */ (h('canvas', { role: 'img', 'aria-label': `ECG lead II, last ${ECG_SECONDS} seconds` }));
  const status = h('span', { class: 'ecg-label' }, 'ECG II · waiting for the monitor');
  const element = h('div', { class: 'ecg-wrap' }, canvas, status);
  let frame = 0;

  const draw = () => {
    frame = 0;
    const ratio = window.devicePixelRatio || 1;
    const width = Math.max(1, Math.round(canvas.clientWidth * ratio));
    const height = Math.max(1, Math.round(canvas.clientHeight * ratio));
    if (canvas.width !== width || canvas.height !== height) Object.assign(canvas, { width, height });
    const g = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
    g.clearRect(0, 0, width, height);
    drawGrid(g, width, height);
    const { samples, rate, countsPerMv } = live.ecg;
    if (samples.length === 0) return;
    status.textContent = `ECG II · ${live.rhythm ?? 'rhythm not reported'}`;
    const perSample = width / (ECG_SECONDS * rate);
    const y = (/** @type {number} */ counts) => ((MV_TOP - counts / countsPerMv) / (MV_TOP - MV_BOTTOM)) * height;
    g.strokeStyle = themeColor('--ecg');
    g.lineWidth = 2.2 * ratio;
    g.lineJoin = 'round';
    g.beginPath();
    let pen = false;
    const offset = ECG_SECONDS * rate - samples.length;
    samples.forEach((value, i) => {
      if (Number.isNaN(value)) {
        pen = false;
        return;
      }
      const x = (offset + i) * perSample;
      if (pen) g.lineTo(x, y(value));
      else g.moveTo(x, y(value));
      pen = true;
    });
    g.stroke();
  };

  const schedule = () => {
    if (!frame) frame = requestAnimationFrame(draw);
  };
  const unsubscribe = [live.on('waveform', schedule), live.on('vitals', schedule)];
  const onTheme = () => schedule();
  window.addEventListener('hema3n:theme', onTheme);
  window.addEventListener('resize', onTheme);
  requestAnimationFrame(draw);
  return {
    element,
    dispose() {
      unsubscribe.forEach((fn) => fn());
      window.removeEventListener('hema3n:theme', onTheme);
      window.removeEventListener('resize', onTheme);
      if (frame) cancelAnimationFrame(frame);
    },
  };
}

/** @param {CanvasRenderingContext2D} g @param {number} width @param {number} height */
function drawGrid(g, width, height) {
  g.lineWidth = 1;
  for (let i = 1; i < ECG_SECONDS * 5; i++) {
    g.strokeStyle = themeColor(i % 5 === 0 ? '--grid-major' : '--grid');
    const x = Math.round((i / (ECG_SECONDS * 5)) * width) + 0.5;
    g.beginPath();
    g.moveTo(x, 0);
    g.lineTo(x, height);
    g.stroke();
  }
  for (let mv = Math.ceil(MV_BOTTOM * 2) / 2; mv <= MV_TOP; mv += 0.5) {
    g.strokeStyle = themeColor(mv === 0 ? '--grid-major' : '--grid');
    const y = Math.round(((MV_TOP - mv) / (MV_TOP - MV_BOTTOM)) * height) + 0.5;
    g.beginPath();
    g.moveTo(0, y);
    g.lineTo(width, y);
    g.stroke();
  }
}

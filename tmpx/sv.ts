import { scoreVitals, DeteriorationWatcher } from '../edge/src/clinical/index.js';
const input = { heartRate: 88, respiratoryRate: 18, spo2: 96, systolicBP: 120, temperature: 37 };
for (let i = 0; i < 2000; i++) scoreVitals(input);
let t = performance.now(); for (let i = 0; i < 20000; i++) scoreVitals(input); console.log('scoreVitals us', (performance.now() - t) / 20000 * 1000);
const w = new DeteriorationWatcher(); t = performance.now();
for (let i = 0; i < 20000; i++) w.observe('c', { at: i * 100, news2Total: 3, spo2: 96, systolicBP: 120 });
console.log('observe us', (performance.now() - t) / 20000 * 1000);

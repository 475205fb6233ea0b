/**
 * Patient: demographics (all optional: an unknown patient stays "Unknown patient"), chief
 * complaint, allergies and home medications. Each field saves as soon as it is changed.
 */
import { ApiError, api } from '../api.js';
import { button, clock, h, mount, toast } from '../dom.js';

const SEXES = [['male', 'Male'], ['female', 'Female'], ['other', 'Other'], ['unknown', 'Unknown']];
const COMPLAINTS = ['Chest pain', 'Shortness of breath', 'Stroke symptoms', 'Fall', 'Trauma', 'Seizure', 'Overdose / poisoning', 'Abdominal pain', 'Unresponsive', 'Allergic reaction', 'Bleeding'];

/** @param {import('./case-shell.js').CaseContext} ctx @param {HTMLElement} host */
export function renderPatient(ctx, host) {
  const saved = h('span', { class: 'muted', role: 'status', 'aria-live': 'polite' });

  /** @param {Record<string, unknown>} update */
  const savePatient = async (update) => {
    try {
      await api.patch(`/api/v1/cases/${ctx.caseId}/patient`, update);
      // The monitor scores with the age (paediatric ranges, NEWS2 validity) once it knows it.
      if (typeof update.ageYears === 'number') await api.post(`/api/v1/cases/${ctx.caseId}/findings`, { ageYears: update.ageYears });
      await afterSave();
    } catch (error) {
      report(error);
    }
  };

  /** @param {string | null} chiefComplaint */
  const saveComplaint = async (chiefComplaint) => {
    try {
      await api.put(`/api/v1/cases/${ctx.caseId}/complaint`, { chiefComplaint });
      await afterSave();
    } catch (error) {
      report(error);
    }
  };

  const afterSave = async () => {
    await ctx.refresh();
    draw();
    saved.textContent = `Saved ${clock(Date.now())}`;
  };

  /** @param {unknown} error */
  const report = (error) => {
    const fields = error instanceof ApiError ? error.issues.map((i) => i.field).join(', ') : '';
    toast(fields ? `Not saved: check ${fields}` : 'Not saved: the appliance did not answer', 'error');
  };

  function draw() {
    const { patient, chiefComplaint } = ctx.chart.case;
    const disabled = ctx.readOnly;
    /** @param {string} id @param {string} label @param {unknown} value @param {(v: string) => void} onSave @param {Record<string, string>} [attrs] */
    const field = (id, label, value, onSave, attrs = {}) => h('label', { class: 'field', for: id }, label,
      h('input', { class: 'input', id, value: value ?? '', disabled, autocomplete: 'off', onchange: (/** @type {Event} */ e) => onSave(/** @type {HTMLInputElement} */ (e.target).value.trim()), ...attrs }));
    /** @param {string} v */
    const number = (v) => (v === '' ? null : Number(v.replace(',', '.')));

    mount(host, h('h1', { class: 'sr-only' }, 'Patient'), h('div', { class: 'grid-3 patient' },
      h('section', { class: 'panel stack', 'aria-labelledby': 'demo-h' },
        h('div', { class: 'row row--spread' }, h('h2', { id: 'demo-h' }, patient.unidentified ? 'Unknown patient' : 'Patient'), saved),
        h('div', { class: 'grid-2' },
          field('given', 'Given name', patient.givenName, (v) => savePatient({ givenName: v || null })),
          field('family', 'Family name', patient.familyName, (v) => savePatient({ familyName: v || null }))),
        h('div', { class: 'grid-2' },
          field('age', 'Age (years)', patient.ageYears, (v) => savePatient({ ageYears: number(v) }), { inputmode: 'decimal' }),
          field('weight', 'Weight (kg)', patient.weightKg, (v) => savePatient({ weightKg: number(v) }), { inputmode: 'decimal' })),
        h('div', { role: 'group', 'aria-labelledby': 'sex-label', class: 'stack' },
          h('span', { id: 'sex-label', class: 'field' }, 'Sex'),
          h('div', { class: 'grid-2' }, SEXES.map(([value, label]) => button(label, () => savePatient({ sex: value }), { 'aria-pressed': String(patient.sex === value), disabled, 'data-sex': value })))),
        field('birth', 'Birth date (if known)', patient.birthDate, (v) => savePatient({ birthDate: v || null }), { type: 'date' }),
      ),
      h('section', { class: 'panel stack', 'aria-labelledby': 'cc-h' },
        h('h2', { id: 'cc-h' }, 'Chief complaint'),
        field('complaint', 'In the patient\'s or crew\'s words', chiefComplaint, (v) => saveComplaint(v || null)),
        h('div', { class: 'chips quick', role: 'group', 'aria-label': 'Common complaints' },
          COMPLAINTS.map((c) => button(c, () => saveComplaint(c), { disabled, 'aria-pressed': String(chiefComplaint === c) })))),
      h('div', { class: 'stack' },
        listEditor('Allergies', 'allergy', patient.allergies, (list) => savePatient({ allergies: list }), disabled, 'No allergies recorded'),
        listEditor('Home medications', 'homemed', patient.homeMedications, (list) => savePatient({ homeMedications: list }), disabled, 'No home medications recorded'),
      ),
    ));
  }

  draw();
}

/**
 * Chips with a remove button each, and an input to add one.
 * @param {string} title @param {string} id @param {string[]} items @param {(list: string[]) => void} save @param {boolean} disabled @param {string} empty
 */
function listEditor(title, id, items, save, disabled, empty) {
  const input = /** @type {HTMLInputElement} */ (h('input', { class: 'input', id: `${id}-new`, autocomplete: 'off', disabled, placeholder: 'Type and tap Add' }));
  const add = () => {
    const value = input.value.trim();
    if (value && !items.includes(value)) save([...items, value]);
  };
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') add();
  });
  return h('section', { class: 'panel stack', 'aria-labelledby': `${id}-h` },
    h('h2', { id: `${id}-h` }, title),
    h('div', { class: 'chips', 'data-list': id }, items.length === 0 ? h('span', { class: 'muted' }, empty) : items.map((item) =>
      h('span', { class: 'chip' }, item, button('✕', () => save(items.filter((i) => i !== item)), { disabled, 'aria-label': `Remove ${item}` })))),
    h('label', { class: 'sr-only', for: `${id}-new` }, `Add to ${title.toLowerCase()}`),
    h('div', { class: 'row' }, h('div', { style: { flex: '1' } }, input), button('Add', add, { class: 'btn--primary', disabled, 'data-add': id })),
  );
}

import { describe, expect, it } from 'vitest';
import { scoreVitals } from '../../src/clinical/index.js';
import { buildHandoff, type HandoffInput } from '../../src/handoff/index.js';
import type { CaseRecord, StoredAlert } from '../../src/store/index.js';

const T0 = Date.UTC(2025, 0, 1, 3, 0, 0);
const min = (n: number) => T0 + n * 60_000;

function record(patient: Partial<CaseRecord['patient']> = {}): CaseRecord {
  return {
    id: 'case-1', incidentNumber: '2025-004127', status: 'handoff', acuity: 2, etaAt: null, createdAt: T0, updatedAt: min(40), chiefComplaint: 'Crushing chest pain',
    patient: { id: 'p-1', unidentified: true, givenName: null, familyName: null, birthDate: null, ageYears: 62, sex: 'male', weightKg: 88, allergies: ['Penicillin'], homeMedications: ['Sildenafil'], ...patient },
    timeline: [{ status: 'dispatched', at: T0, actor: 'a' }, { status: 'patient_contact', at: min(9), actor: 'a' }, { status: 'handoff', at: min(40), actor: 'a' }],
  };
}

const alert = (kind: string, detail: string, raisedAt: number, clearedAt: number | null): StoredAlert => ({ id: `case-1/${kind}/${raisedAt}`, caseId: 'case-1', kind, raisedAt, detail, clearedAt, acknowledgedBy: 'a', acknowledgedAt: raisedAt + 1 });

function input(overrides: Partial<HandoffInput> = {}): HandoffInput {
  return {
    record: record(),
    notes: [{ id: 'n1', authorId: 'ada', text: 'Pain began at rest', createdAt: min(12) }],
    interventions: [{ id: 'i1', code: 'ecg-12-lead', display: '12-lead ECG', performedAt: min(11), performerId: 'ada' }],
    medications: [
      { id: 'm2', medication: 'Nitroglycerin', dose: 0.4, doseUnit: 'mg', route: 'SL', givenAt: min(15), performerId: 'ada', warnings: [{ kind: 'interaction', text: 'x' }], overrideReason: 'medical control agreed' },
      { id: 'm1', medication: 'Aspirin', dose: 300, doseUnit: 'mg', route: 'PO', givenAt: min(10), performerId: 'ben', warnings: [], overrideReason: null },
    ],
    vitals: [
      { code: 'HR', value: 88, unit: '/min', observedAt: min(30) },
      { code: 'HR', value: 96, unit: '/min', observedAt: min(9) },
      { code: 'SBP', value: 152, unit: 'mm[Hg]', observedAt: min(10) },
      { code: 'TEMP', value: 36.7, unit: 'Cel', observedAt: min(12) },
    ],
    alerts: [alert('rhythm-flag', 'Monitor reports STEMI', min(10), null), alert('spo2-fall', 'SpO2 fell from 97 % to 92 % in 6 min', min(20), min(25))],
    score: scoreVitals({ heartRate: 88, systolicBP: 150, respiratoryRate: 20, spo2: 95, onOxygen: false, consciousness: 'A', temperature: 36.7, ageYears: 62, highRiskSituation: true }),
    crewNames: new Map([['ada', 'Ada Okafor'], ['ben', 'Ben Ito']]),
    now: min(41),
    ...overrides,
  };
}

describe('the handoff, built from the case', () => {
  it('puts the case in MIST order: complaint, findings, first and latest signs, treatment in time order with overrides', () => {
    const { mist } = buildHandoff(input());
    expect(mist.mechanism).toBe('Crushing chest pain');
    expect(mist.injuries).toEqual(['Monitor reports STEMI', 'SpO2 fell from 97 % to 92 % in 6 min (since resolved)']);
    expect(mist.signs.first).toEqual({ at: min(9), values: [
      { code: 'HR', label: 'HR', value: 96, unit: '/min' }, { code: 'SBP', label: 'SBP', value: 152, unit: 'mmHg' }, { code: 'TEMP', label: 'Temp', value: 36.7, unit: '°C' },
    ] });
    expect(mist.signs.latest?.values.find((v) => v.code === 'HR')?.value).toBe(88);
    expect(mist.treatment.map((t) => [t.text, t.by, t.override])).toEqual([
      ['Aspirin 300 mg PO', 'Ben Ito', null],
      ['12-lead ECG', 'Ada Okafor', null],
      ['Nitroglycerin 0.4 mg SL', 'Ada Okafor', 'medical control agreed'],
    ]);
  });

  it('writes SBAR with the allergies and home medications, and a recommendation that names what raised the acuity and what to review', () => {
    const { sbar, patient } = buildHandoff(input());
    expect(patient.description).toBe('Unknown patient, 62 y, male, 88 kg');
    expect(sbar.situation).toBe('Unknown patient, 62 y, male, 88 kg: Crushing chest pain. Acuity ESI 2.');
    expect(sbar.background).toEqual(['Allergies: Penicillin', 'Home medications: Sildenafil']);
    expect(sbar.recommendation).toEqual([
      'ESI 2: high risk: should be seen immediately',
      'highRiskSituation reported by the crew → ESI 2 (high risk)',
      'Watch: Monitor reports STEMI',
      'Review: 1 medication given despite a dose-check warning',
      'Allergies: Penicillin',
    ]);
  });

  it('describes an identified infant by name and age in months, and says when nothing was recorded', () => {
    const handoff = buildHandoff(input({
      record: { ...record({ unidentified: false, givenName: 'Mia', familyName: 'Berg', ageYears: 0.3, sex: 'female', weightKg: 6, allergies: [], homeMedications: [] }), chiefComplaint: null },
      vitals: [], alerts: [], medications: [], interventions: [], notes: [],
    }));
    expect(handoff.patient).toMatchObject({ description: 'Mia Berg, 3 months, female, 6 kg', identified: true });
    expect(handoff.mist).toMatchObject({ mechanism: 'Not recorded', injuries: [], treatment: [], signs: expect.objectContaining({ first: null, latest: null }) });
    expect(handoff.sbar.background).toEqual(['Allergies: none recorded', 'Home medications: none recorded']);
  });
});

import { createHash } from 'node:crypto';
import type { CaseSnapshot, SnapshotVital, VitalCode } from '../../src/fhir/index.js';

/** A synthetic STEMI call: 58-year-old with crushing chest pain, two crew, four devices. */
export const APPLIANCE_ID = '5f0c6a52-3f4e-4c1e-9b55-0d1f2a3b4c5d';
export const OTHER_APPLIANCE_ID = '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a';

const T0 = Date.UTC(2025, 2, 14, 9, 0, 0);
const minutes = (n: number): number => T0 + n * 60_000;
const UNITS: Readonly<Record<VitalCode, string>> = {
  HR: '/min', RR: '/min', SPO2: '%', SBP: 'mm[Hg]', DBP: 'mm[Hg]', MAP: 'mm[Hg]', TEMP: 'Cel', ETCO2: 'mm[Hg]', GLUCOSE: 'mg/dL', GCS: '{score}', PAIN: '{score}',
};

const vital = (deviceId: string, seq: number, code: VitalCode, value: number, observedAt: number): SnapshotVital => ({
  deviceId, seq, code, value, unit: UNITS[code], observedAt,
});

/** Ten minutes of monitor readings once a minute, blood pressure every five minutes. */
function monitorVitals(): SnapshotVital[] {
  const vitals: SnapshotVital[] = [];
  for (let minute = 0; minute <= 10; minute++) {
    const at = minutes(10 + minute);
    vitals.push(
      vital('monitor-1', minute, 'HR', 104 - minute, at),
      vital('monitor-1', minute, 'RR', 22 - (minute % 3), at),
      vital('monitor-1', minute, 'SPO2', 93 + (minute % 3), at),
      vital('monitor-1', minute, 'ETCO2', 34 + (minute % 2), at),
    );
  }
  for (const [index, minute] of [0, 5, 10].entries()) {
    const seq = 1000 + index;
    const at = minutes(10 + minute) + 20_000;
    vitals.push(vital('monitor-1', seq, 'SBP', 148 - 6 * index, at), vital('monitor-1', seq, 'DBP', 92 - 3 * index, at), vital('monitor-1', seq, 'MAP', 111 - 4 * index, at));
  }
  return vitals;
}

const photo = (text: string): Buffer => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from(text)]);
const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
const ECG_PHOTO = photo('12-lead ECG printout');
const SCENE_PHOTO = photo('medication box on the kitchen table');
const HANDOVER_AUDIO = Buffer.from('RIFF....WAVEfmt handover recording');

const conditions = [
  { code: 'stemi', label: 'ST-elevation myocardial infarction', probability: 0.81 },
  { code: 'acs_nstemi', label: 'Acute coronary syndrome without ST elevation', probability: 0.11 },
  { code: 'arrhythmia', label: 'Arrhythmia / syncope', probability: 0.04 },
  { code: 'none_other', label: 'None of the above / other', probability: 0.02 },
];
const model = { id: 'hema3n-core', version: '0.1.0-reference' };
const adapter = { specialty: 'cardiology', version: '1.0.0' };

export function stemiCase(): CaseSnapshot {
  return {
    applianceId: APPLIANCE_ID,
    case: {
      id: 'c0a80101-0000-4000-8000-000000000001',
      incidentNumber: 'INC-2025-031400123',
      status: 'handoff',
      timeline: [
        { status: 'dispatched', at: minutes(0), actor: 'system' },
        { status: 'en_route', at: minutes(1), actor: 'crew-1' },
        { status: 'on_scene', at: minutes(8), actor: 'crew-1' },
        { status: 'patient_contact', at: minutes(9), actor: 'crew-1' },
        { status: 'transporting', at: minutes(24), actor: 'crew-2' },
        { status: 'at_destination', at: minutes(41), actor: 'crew-2' },
        { status: 'handoff', at: minutes(44), actor: 'crew-1' },
      ],
      acuity: 2,
      chiefComplaint: 'Crushing central chest pain radiating to the left arm for 40 minutes, sweating',
      createdAt: minutes(0),
      updatedAt: minutes(44),
    },
    patient: {
      id: 'b7e1a2c3-0000-4000-8000-000000000002',
      unidentified: false,
      givenName: 'Alex',
      familyName: 'Example',
      birthDate: '1966-07-02',
      ageYears: 58,
      sex: 'male',
      weightKg: 92,
      allergies: ['Penicillin', ' penicillin '],
      homeMedications: ['Atorvastatin 40 mg', 'Metformin 500 mg'],
    },
    crew: [
      { id: 'crew-1', name: 'Sam Paramedic', role: 'paramedic' },
      { id: 'crew-2', name: 'Robin Technician', role: 'technician' },
    ],
    devices: [
      { id: 'monitor-1', kind: 'multiparameter-monitor' },
      { id: 'thermometer-1', kind: 'thermometer' },
      { id: 'glucometer-1', kind: 'glucometer' },
      { id: 'tablet-1', kind: 'crew-tablet' },
    ],
    vitals: [
      ...monitorVitals(),
      vital('thermometer-1', 1, 'TEMP', 36.8, minutes(12)),
      vital('glucometer-1', 1, 'GLUCOSE', 142, minutes(13)),
      vital('tablet-1', 1, 'GCS', 15, minutes(11)),
      vital('tablet-1', 2, 'PAIN', 8, minutes(11)),
    ],
    assessments: [
      { id: 'as-rules-1', source: 'rules', createdAt: minutes(11), acuity: 2, result: { news2: { total: 4, risk: 'low' } } },
      { id: 'as-model-1', source: 'model', createdAt: minutes(12), acuity: 2, result: { model, adapter, conditions, confidence: 0.78 } },
      { id: 'as-merged-1', source: 'merged', createdAt: minutes(12) + 500, acuity: 2, result: { news2: { total: 4, risk: 'low' }, model, adapter, conditions, confidence: 0.78 } },
    ],
    notes: [
      { id: 'note-1', authorId: 'crew-1', text: 'Pain started at rest. Took 1 aspirin? Unsure. Wife present.', createdAt: minutes(14) },
    ],
    interventions: [
      { id: 'int-ecg', code: '12-lead-ecg', display: '12-lead ECG', performedAt: minutes(11), performerId: 'crew-1' },
      { id: 'int-iv', code: 'iv-access', display: 'IV access', performedAt: minutes(15), performerId: 'crew-2' },
    ],
    medications: [
      { id: 'med-asa', medication: 'Aspirin', dose: 324, doseUnit: 'mg', route: 'PO', givenAt: minutes(13), performerId: 'crew-1' },
      { id: 'med-ntg', medication: 'Nitroglycerin', dose: 0.4, doseUnit: 'mg', route: 'SL', givenAt: minutes(16), performerId: 'crew-1' },
    ],
    media: [
      { id: 'media-ecg', kind: 'image', contentType: 'image/jpeg', bytes: ECG_PHOTO.length, sha256: sha256(ECG_PHOTO), createdAt: minutes(11), data: ECG_PHOTO },
      { id: 'media-scene', kind: 'image', contentType: 'image/jpeg', bytes: SCENE_PHOTO.length, sha256: sha256(SCENE_PHOTO), createdAt: minutes(10), data: SCENE_PHOTO },
      // The recording travels as media chunks: the bundle only points at it.
      { id: 'media-handover', kind: 'audio', contentType: 'audio/wav', bytes: HANDOVER_AUDIO.length, sha256: sha256(HANDOVER_AUDIO), createdAt: minutes(43) },
    ],
  };
}

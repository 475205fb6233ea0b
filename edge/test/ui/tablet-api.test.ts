import { afterEach, describe, expect, it } from 'vitest';
import { hashSecret } from '../../src/keys/index.js';
import { startTestAppliance, type TestAppliance } from '../support/appliance.js';
import { connectDevice, publishAcked, vitalsPayload } from '../support/mqtt.js';
import { useTempDirs } from '../support/temp.js';
import { auditRows, call, crewSession } from './tablet-support.js';

const tempDir = useTempDirs();
let running: TestAppliance | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

async function start(): Promise<TestAppliance> {
  running = await startTestAppliance(tempDir());
  return running;
}

describe('roles, enforced by the appliance', () => {
  const PHI_ROUTES: Array<[string, string, unknown?]> = [
    ['POST', '/api/v1/cases', {}],
    ['GET', '/api/v1/cases/:id'],
    ['GET', '/api/v1/cases/:id/chart'],
    ['GET', '/api/v1/cases/:id/vitals'],
    ['GET', '/api/v1/cases/:id/live'],
    ['GET', '/api/v1/cases/:id/alerts'],
    ['GET', '/api/v1/cases/:id/triage'],
    ['GET', '/api/v1/cases/:id/handoff'],
    ['GET', '/api/v1/cases/:id/media'],
    ['PATCH', '/api/v1/cases/:id/patient', { ageYears: 40 }],
    ['PUT', '/api/v1/cases/:id/complaint', { chiefComplaint: 'chest pain' }],
    ['PUT', '/api/v1/cases/:id/eta', { etaAt: null }],
    ['POST', '/api/v1/cases/:id/notes', { text: 'a note' }],
    ['POST', '/api/v1/cases/:id/medications/check', { medication: 'aspirin', dose: 300, doseUnit: 'mg', route: 'PO' }],
    ['POST', '/api/v1/cases/:id/break-glass', { reason: 'technician wants to look' }],
    ['POST', '/api/v1/infer', {}],
  ];

  it('refuses a technician every route that reads or changes patient information, with FORBIDDEN and nothing audited as read', async () => {
    const t = await start();
    const tech = await crewSession(t, 'Sam Reyes', 'technician');
    const { id } = t.appliance.store.store.cases.create({ actor: 'test', now: Date.now() });
    for (const [method, path, body] of PHI_ROUTES) {
      const answer = await call(t, tech.token, method, path.replace(':id', id), body);
      expect({ route: `${method} ${path}`, status: answer.status, code: answer.body.code }).toEqual({ route: `${method} ${path}`, status: 403, code: 'FORBIDDEN' });
    }
    const reads = t.appliance.store.store.db.prepare(`SELECT count(*) AS n FROM audit WHERE actor = ?`).get(`crew:${tech.id}`) as { n: number };
    expect(reads.n).toBe(1); // the login
  });

  it('lets a technician see the case list (no PHI in it), the devices, the crew list and the formulary', async () => {
    const t = await start();
    const tech = await crewSession(t, 'Sam Reyes', 'technician');
    t.appliance.store.store.cases.create({ actor: 'test', now: Date.now() });
    await t.addDevice('amb7-monitor');
    for (const path of ['/api/v1/cases', '/api/v1/devices', '/api/v1/crew', '/api/v1/formulary', '/api/v1/sessions/current']) {
      expect({ path, status: (await call(t, tech.token, 'GET', path)).status }).toEqual({ path, status: 200 });
    }
    const [listed] = (await call(t, tech.token, 'GET', '/api/v1/cases')).body as Array<Record<string, unknown>>;
    expect(Object.keys(listed!).sort()).toEqual(['acuity', 'createdAt', 'etaAt', 'id', 'incidentNumber', 'status', 'updatedAt']);
    expect((await call(t, tech.token, 'GET', '/api/v1/devices')).body).toEqual([{ id: 'amb7-monitor', kind: 'monitor', revoked: false, online: false, changedAt: null }]);
  });

  it('asks for a session on everything but login and the crew list', async () => {
    const t = await start();
    expect((await call(t, null, 'GET', '/api/v1/crew')).status).toBe(200);
    for (const path of ['/api/v1/cases', '/api/v1/devices', '/api/v1/formulary']) expect((await call(t, null, 'GET', path)).status).toBe(401);
  });
});

describe('break-glass', () => {
  it('refuses a case outside the crew member\'s care until they give a reason, audits the reason, and keeps a paramedic read-only', async () => {
    const t = await start();
    const ada = await crewSession(t, 'Ada Okafor', 'paramedic');
    const ben = await crewSession(t, 'Ben Ito', 'paramedic');
    const first = (await call(t, ada.token, 'POST', '/api/v1/cases', {})).body.id as string;
    await call(t, ada.token, 'POST', '/api/v1/cases', {}); // the ambulance moves on: the first case is no longer active

    const refused = await call(t, ben.token, 'GET', `/api/v1/cases/${first}/chart`);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('BREAK_GLASS_REQUIRED');
    expect((await call(t, ada.token, 'GET', `/api/v1/cases/${first}/chart`)).status).toBe(200);

    const vague = await call(t, ben.token, 'POST', `/api/v1/cases/${first}/break-glass`, { reason: 'need' });
    expect(vague.status).toBe(400);
    const opened = await call(t, ben.token, 'POST', `/api/v1/cases/${first}/break-glass`, { reason: 'Patient re-presenting: continuity of care' });
    expect(opened.body).toEqual({ caseId: first, access: 'break-glass', readOnly: true });
    expect(auditRows(t, 'break-glass')).toEqual([{ actor: `crew:${ben.id}`, resource: `case/${first}`, reason: 'Patient re-presenting: continuity of care' }]);

    const chart = await call(t, ben.token, 'GET', `/api/v1/cases/${first}/chart`);
    expect(chart.status).toBe(200);
    expect(chart.body.access).toBe('break-glass');
    expect(chart.headers.get('x-hema3n-access')).toBe('break-glass');
    const write = await call(t, ben.token, 'POST', `/api/v1/cases/${first}/notes`, { text: 'should not land' });
    expect(write.status).toBe(403);
    expect(write.body.code).toBe('FORBIDDEN');
    expect(t.appliance.store.store.content.notes(first)).toEqual([]);
  });

  it('lets a supervisor write to a case opened with break-glass, and the grant ends with the session', async () => {
    const t = await start();
    const ada = await crewSession(t, 'Ada Okafor', 'paramedic');
    const sup = await crewSession(t, 'Maria Lund', 'supervisor');
    const first = (await call(t, ada.token, 'POST', '/api/v1/cases', {})).body.id as string;
    await call(t, ada.token, 'POST', '/api/v1/cases', {});
    expect((await call(t, sup.token, 'POST', `/api/v1/cases/${first}/break-glass`, { reason: 'Supervisor review of care' })).body.readOnly).toBe(false);
    expect((await call(t, sup.token, 'POST', `/api/v1/cases/${first}/notes`, { text: 'Addendum: reviewed with crew' })).status).toBe(201);

    expect((await call(t, sup.token, 'DELETE', '/api/v1/sessions/current')).status).toBe(204);
    const again = await call(t, sup.token, 'GET', `/api/v1/cases/${first}/chart`);
    expect(again.status).toBe(401);
  });

  it('needs no break-glass for the active case, which the crew on board is working', async () => {
    const t = await start();
    const ada = await crewSession(t, 'Ada Okafor', 'paramedic');
    const ben = await crewSession(t, 'Ben Ito', 'paramedic');
    const active = (await call(t, ada.token, 'POST', '/api/v1/cases', {})).body.id as string;
    const chart = await call(t, ben.token, 'GET', `/api/v1/cases/${active}/chart`);
    expect(chart.status).toBe(200);
    expect(chart.body.access).toBe('care');
    expect(auditRows(t, 'break-glass')).toEqual([]);
  });
});

describe('medications checked against the patient and the formulary', () => {
  async function stemiPatient() {
    const t = await start();
    const ada = await crewSession(t, 'Ada Okafor', 'paramedic');
    const id = (await call(t, ada.token, 'POST', '/api/v1/cases', {})).body.id as string;
    await call(t, ada.token, 'PATCH', `/api/v1/cases/${id}/patient`, { ageYears: 62, weightKg: 88, allergies: ['Aspirin'], homeMedications: ['Tadalafil 5 mg'] });
    return { t, ada, id };
  }

  it('records a dose with no warning straight away, and audits it', async () => {
    const { t, ada, id } = await stemiPatient();
    const given = await call(t, ada.token, 'POST', `/api/v1/cases/${id}/medications`, { medication: 'ondansetron', dose: 4, doseUnit: 'mg', route: 'IV' });
    expect(given.status).toBe(201);
    expect(given.body).toMatchObject({ medication: 'Ondansetron', dose: 4, doseUnit: 'mg', route: 'IV', overrideReason: null, warnings: [] });
    expect(auditRows(t, 'medication.give')).toEqual([{ actor: `crew:${ada.id}`, resource: `case/${id}/medication/${given.body.id}`, reason: null }]);
  });

  it('refuses an allergy conflict without an override, naming the fields but not the patient\'s values', async () => {
    const { t, ada, id } = await stemiPatient();
    const refused = await call(t, ada.token, 'POST', `/api/v1/cases/${id}/medications`, { medication: 'aspirin', dose: 300, doseUnit: 'mg', route: 'PO' });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('OVERRIDE_REQUIRED');
    expect(refused.body.issues).toEqual([{ field: 'medication', problem: 'conflicts with a recorded allergy' }]);
    expect(JSON.stringify(refused.body)).not.toMatch(/aspirin|300/i);
    expect(t.appliance.store.store.care.medications(id)).toEqual([]);
  });

  it('records an override with its reason, keeps the warnings with the administration, and audits the reason', async () => {
    const { t, ada, id } = await stemiPatient();
    const check = await call(t, ada.token, 'POST', `/api/v1/cases/${id}/medications/check`, { medication: 'nitroglycerin', dose: 0.8, doseUnit: 'mg', route: 'SL' });
    expect(check.body.warnings.map((w: { kind: string }) => w.kind).sort()).toEqual(['above-range', 'blood-pressure-unknown', 'interaction']);
    const given = await call(t, ada.token, 'POST', `/api/v1/cases/${id}/medications`, {
      medication: 'nitroglycerin', dose: 0.4, doseUnit: 'mg', route: 'SL', override: { reason: 'Tadalafil stopped a week ago per wife; medical control agreed' },
    });
    expect(given.status).toBe(201);
    expect(given.body.overrideReason).toBe('Tadalafil stopped a week ago per wife; medical control agreed');
    expect(given.body.warnings.map((w: { kind: string }) => w.kind).sort()).toEqual(['blood-pressure-unknown', 'interaction']);
    expect(auditRows(t, 'medication.override')).toEqual([
      { actor: `crew:${ada.id}`, resource: `case/${id}/medication/${given.body.id}`, reason: 'Tadalafil stopped a week ago per wife; medical control agreed' },
    ]);
    expect(t.appliance.store.store.care.medications(id)[0]).toMatchObject({ overrideReason: 'Tadalafil stopped a week ago per wife; medical control agreed' });
  });

  it('uses the latest systolic BP from the devices: nitroglycerin below 90 mmHg needs an override', async () => {
    const { t, ada, id } = await stemiPatient();
    await call(t, ada.token, 'PATCH', `/api/v1/cases/${id}/patient`, { homeMedications: [] });
    const cuff = await t.addDevice('amb7-nibp', 'bp-cuff');
    const client = await connectDevice(t.mqttUrl, cuff.id, cuff.secret);
    await publishAcked(client, `hema3n/v1/devices/${cuff.id}/vitals`, vitalsPayload(1, [{ code: 'SBP', value: 84, unit: 'mmHg' }]));
    client.end(true);
    const check = await call(t, ada.token, 'POST', `/api/v1/cases/${id}/medications/check`, { medication: 'nitroglycerin', dose: 0.4, doseUnit: 'mg', route: 'SL' });
    expect(check.body.warnings).toEqual([{ kind: 'hypotension', needsOverride: true, text: 'Systolic BP 84 mmHg is below 90 mmHg' }]);
  });

  it('checks the total over the case: a third aspirin dose above 325 mg needs an override', async () => {
    const { t, ada, id } = await stemiPatient();
    await call(t, ada.token, 'PATCH', `/api/v1/cases/${id}/patient`, { allergies: [] });
    expect((await call(t, ada.token, 'POST', `/api/v1/cases/${id}/medications`, { medication: 'aspirin', dose: 162, doseUnit: 'mg', route: 'PO' })).status).toBe(201);
    const second = await call(t, ada.token, 'POST', `/api/v1/cases/${id}/medications`, { medication: 'aspirin', dose: 162, doseUnit: 'mg', route: 'PO' });
    expect(second.status).toBe(201);
    const third = await call(t, ada.token, 'POST', `/api/v1/cases/${id}/medications`, { medication: 'aspirin', dose: 162, doseUnit: 'mg', route: 'PO' });
    expect(third.status).toBe(409);
    expect(third.body.issues).toEqual([{ field: 'dose', problem: 'takes the case total above the formulary maximum' }]);
  });

  it('names every bad field of a medication at once', async () => {
    const { t, ada, id } = await stemiPatient();
    const bad = await call(t, ada.token, 'POST', `/api/v1/cases/${id}/medications`, { medication: '', dose: -1, doseUnit: 'tablets', route: 'IX', givenAt: Date.now() + 3_600_000 });
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i: { field: string }) => i.field).sort()).toEqual(['dose', 'doseUnit', 'medication', 'route']);
    const future = await call(t, ada.token, 'POST', `/api/v1/cases/${id}/medications`, { medication: 'ondansetron', dose: 4, doseUnit: 'mg', route: 'IV', givenAt: Date.now() + 3_600_000 });
    expect(future.body.issues).toEqual([{ field: 'givenAt', problem: 'must be within the last 24 hours, not in the future' }]);
  });
});

describe('the rest of the chart', () => {
  it('sets and clears the ETA to the destination, audited and queued for sync, drops it on arrival, and refuses one in the past or beyond 12 hours', async () => {
    const t = await start();
    const ada = await crewSession(t, 'Ada Okafor', 'paramedic');
    const id = (await call(t, ada.token, 'POST', '/api/v1/cases', {})).body.id as string;
    const pendingBefore = t.appliance.store.store.sync.counts().pending;
    const etaAt = Date.now() + 15 * 60_000;
    expect((await call(t, ada.token, 'PUT', `/api/v1/cases/${id}/eta`, { etaAt })).body).toEqual({ etaAt });
    expect((await call(t, ada.token, 'GET', `/api/v1/cases/${id}/chart`)).body.case.etaAt).toBe(etaAt);
    expect(t.appliance.store.store.sync.counts().pending).toBe(pendingBefore + 1);
    for (const bad of [Date.now() - 5 * 60_000, Date.now() + 13 * 60 * 60_000]) {
      const refused = await call(t, ada.token, 'PUT', `/api/v1/cases/${id}/eta`, { etaAt: bad });
      expect(refused.status).toBe(400);
      expect(refused.body.issues).toEqual([{ field: 'etaAt', problem: 'must be an arrival time from now to 12 hours ahead (epoch ms)' }]);
    }
    const wrongType = await call(t, ada.token, 'PUT', `/api/v1/cases/${id}/eta`, { etaAt: '15 min' });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.issues.map((i: { field: string }) => i.field)).toContain('etaAt');
    // Minutes count from the appliance's clock: the tablet's may be off.
    const before = Date.now();
    const inMinutes = (await call(t, ada.token, 'PUT', `/api/v1/cases/${id}/eta`, { inMinutes: 20 })).body.etaAt as number;
    expect(inMinutes).toBeGreaterThanOrEqual(before + 20 * 60_000);
    expect(inMinutes).toBeLessThanOrEqual(Date.now() + 20 * 60_000);
    expect((await call(t, ada.token, 'PUT', `/api/v1/cases/${id}/eta`, { inMinutes: 0 })).status).toBe(400);
    for (const neither of [{}, { inMinutes: 5, etaAt: null }]) {
      expect((await call(t, ada.token, 'PUT', `/api/v1/cases/${id}/eta`, neither)).body.issues).toEqual([{ field: 'inMinutes', problem: 'give either inMinutes or etaAt (null clears the ETA)' }]);
    }
    await call(t, ada.token, 'PUT', `/api/v1/cases/${id}/eta`, { etaAt });
    expect(t.appliance.store.store.cases.get(id).etaAt).toBe(etaAt);
    expect((await call(t, ada.token, 'PUT', `/api/v1/cases/${id}/eta`, { etaAt: null })).body).toEqual({ etaAt: null });
    expect(t.appliance.store.store.cases.get(id).etaAt).toBeNull();
    expect(auditRows(t, 'case.eta')).toHaveLength(4);
    // On arrival the ETA goes: dispatch must not count down to an arrival that happened.
    await call(t, ada.token, 'PUT', `/api/v1/cases/${id}/eta`, { etaAt });
    expect((await call(t, ada.token, 'POST', `/api/v1/cases/${id}/status`, { status: 'at_destination' })).status).toBe(200);
    expect(t.appliance.store.store.cases.get(id).etaAt).toBeNull();
  });

  it('records complaint, notes and interventions, each audited and queued for sync, and reads them back in one chart', async () => {
    const t = await start();
    const ada = await crewSession(t, 'Ada Okafor', 'paramedic');
    const id = (await call(t, ada.token, 'POST', '/api/v1/cases', {})).body.id as string;
    expect((await call(t, ada.token, 'PUT', `/api/v1/cases/${id}/complaint`, { chiefComplaint: 'Chest pain' })).status).toBe(200);
    expect((await call(t, ada.token, 'POST', `/api/v1/cases/${id}/notes`, { text: 'Pain began at rest' })).status).toBe(201);
    const performedAt = Date.now() - 120_000;
    const ecg = await call(t, ada.token, 'POST', `/api/v1/cases/${id}/interventions`, { code: 'ecg-12-lead', performedAt });
    expect(ecg.body).toMatchObject({ code: 'ecg-12-lead', display: '12-lead ECG', performedAt, performerId: ada.id });
    const other = await call(t, ada.token, 'POST', `/api/v1/cases/${id}/interventions`, { code: 'other' });
    expect(other.body.issues).toEqual([{ field: 'display', problem: 'is required for code "other"' }]);

    const chart = (await call(t, ada.token, 'GET', `/api/v1/cases/${id}/chart`)).body;
    expect(chart.case.chiefComplaint).toBe('Chest pain');
    expect(chart.notes.map((n: { text: string }) => n.text)).toEqual(['Pain began at rest']);
    expect(chart.interventions.map((i: { display: string }) => i.display)).toEqual(['12-lead ECG']);
    expect(chart.sync).toMatchObject({ state: 'queued', pending: 4, sent: 0 });
    expect(['complaint.update', 'note.add', 'intervention.add', 'chart.read'].map((a) => auditRows(t, a).length)).toEqual([1, 1, 1, 1]);
    const queued = t.appliance.store.store.db.prepare(`SELECT resource_type AS type FROM outbox WHERE case_id = ? ORDER BY id`).all(id) as Array<{ type: string }>;
    expect(queued.map((r) => r.type)).toEqual(['Encounter', 'Encounter', 'DocumentReference', 'Procedure']);
  });

  it('reports sync as queued, then sent when the sync worker marks the rows, then received once the cloud\'s receipt covers the latest change', async () => {
    const t = await start();
    const ada = await crewSession(t, 'Ada Okafor', 'paramedic');
    const id = (await call(t, ada.token, 'POST', '/api/v1/cases', {})).body.id as string;
    const db = t.appliance.store.store.db;
    // The sync worker is stopped in this appliance (no cloud configured): its two writes are made here.
    expect((await call(t, ada.token, 'GET', `/api/v1/cases/${id}/sync`)).body.state).toBe('queued');
    db.prepare(`UPDATE outbox SET state = 'sent' WHERE case_id = ?`).run(id);
    expect((await call(t, ada.token, 'GET', `/api/v1/cases/${id}/sync`)).body.state).toBe('sent');
    db.prepare(`INSERT INTO sync_cases (case_id, last_receipt_at) VALUES (?, ?)`).run(id, Date.now() + 1000);
    expect((await call(t, ada.token, 'GET', `/api/v1/cases/${id}/sync`)).body).toMatchObject({ state: 'received', pending: 0, sent: 1 });
    await call(t, ada.token, 'POST', `/api/v1/cases/${id}/notes`, { text: 'a later change' });
    expect((await call(t, ada.token, 'GET', `/api/v1/cases/${id}/sync`)).body.state).toBe('queued');
  });

  it('builds the handoff from the case and audits the read', async () => {
    const t = await start();
    const ada = await crewSession(t, 'Ada Okafor', 'paramedic');
    const id = (await call(t, ada.token, 'POST', '/api/v1/cases', {})).body.id as string;
    await call(t, ada.token, 'PATCH', `/api/v1/cases/${id}/patient`, { ageYears: 62, sex: 'male', allergies: ['Penicillin'] });
    await call(t, ada.token, 'PUT', `/api/v1/cases/${id}/complaint`, { chiefComplaint: 'Chest pain' });
    await call(t, ada.token, 'POST', `/api/v1/cases/${id}/medications`, { medication: 'aspirin', dose: 300, doseUnit: 'mg', route: 'PO' });
    const { handoff, sync } = (await call(t, ada.token, 'GET', `/api/v1/cases/${id}/handoff`)).body;
    expect(handoff.mist.mechanism).toBe('Chest pain');
    expect(handoff.mist.treatment).toEqual([expect.objectContaining({ kind: 'medication', text: 'Aspirin 300 mg PO', by: 'Ada Okafor', override: null })]);
    expect(handoff.sbar.background).toContain('Allergies: Penicillin');
    expect(sync.state).toBe('queued');
    expect(auditRows(t, 'handoff.read')).toHaveLength(1);
  });

  it('shows the rule floor with the model through the chosen adapter, and says why the model is missing when none is loaded', async () => {
    const t = await start();
    const ada = await crewSession(t, 'Ada Okafor', 'paramedic');
    const id = (await call(t, ada.token, 'POST', '/api/v1/cases', {})).body.id as string;
    await call(t, ada.token, 'POST', `/api/v1/cases/${id}/findings`, { consciousness: 'V' });
    const withModel = (await call(t, ada.token, 'GET', `/api/v1/cases/${id}/triage?specialty=cardiology`)).body;
    expect(withModel.model).toMatchObject({ available: true, result: { adapter: { specialty: 'cardiology' }, acuity: { ruleLevel: 2 } } });
    expect(withModel.model.result.acuity.level).toBeLessThanOrEqual(2);
    await t.appliance.inference.close();
    const card = (await call(t, ada.token, 'GET', `/api/v1/cases/${id}/triage?specialty=cardiology`)).body;
    expect(card.rules.news2.parameters.consciousness).toEqual({ value: 'V', score: 3 });
    expect(card.rules.acuity.level).toBe(2);
    expect(card.specialty).toBe('cardiology');
    expect(card.model).toEqual({ available: false, reason: expect.stringMatching(/^NOT_READY: /), adapters: [] });
    expect((await call(t, ada.token, 'GET', `/api/v1/cases/${id}/triage?specialty=Cardio Logy`)).status).toBe(400);
  });
});

describe('PIN guessing', () => {
  it('locks one crew member\'s login after five wrong PINs, even for the right PIN, says for how long, audits it, and leaves the others free', async () => {
    const t = await start();
    const medic = await crewSession(t, 'Ana Ortiz', 'paramedic', '2468');
    const partner = t.appliance.store.store.crew.add({ name: 'Lee Park', role: 'paramedic', pinHash: await hashSecret('1357', 'crewPin'), now: Date.now() });
    for (let attempt = 1; attempt <= 5; attempt++) {
      expect((await call(t, null, 'POST', '/api/v1/sessions', { crewId: medic.id, pin: '0000' })).body.code).toBe('UNAUTHENTICATED');
    }
    const sixth = await call(t, null, 'POST', '/api/v1/sessions', { crewId: medic.id, pin: '0000' });
    expect(sixth.status).toBe(429);
    expect(sixth.body.code).toBe('PIN_LOCKED');
    expect(sixth.headers.get('retry-after')).toBe('30');
    const rightPin = await call(t, null, 'POST', '/api/v1/sessions', { crewId: medic.id, pin: '2468' });
    expect(rightPin.status).toBe(429);
    expect(Number(rightPin.headers.get('retry-after'))).toBeLessThanOrEqual(30);
    expect((await call(t, null, 'POST', '/api/v1/sessions', { crewId: partner.id, pin: '1357' })).status).toBe(201);
    expect(auditRows(t, 'session.denied')).toHaveLength(6);
    expect(auditRows(t, 'session.locked')).toEqual([{ actor: `crew:${medic.id}`, resource: `crew/${medic.id}`, reason: null }]);
  });
});

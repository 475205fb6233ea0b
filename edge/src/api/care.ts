import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AuditLog } from '../audit/index.js';
import {
  checkAdministration, DOSE_UNITS, FORMULARY, INTERVENTIONS, MEDICATION_ROUTES, scoreVitals,
  type Administration, type MedicationCheck, type MedicationWarningKind, type PatientContext,
} from '../clinical/index.js';
import { Hema3nError } from '../errors.js';
import { buildHandoff } from '../handoff/index.js';
import type { CaseMonitor } from '../monitor/index.js';
import type { Store } from '../store/index.js';
import { requireCrew } from './auth.js';
import { parseInput } from './validation.js';

export interface CareDependencies {
  readonly store: Store;
  readonly audit: AuditLog;
  readonly monitor: CaseMonitor;
  readonly now: () => number;
}

const CaseId = z.strictObject({ id: z.uuid() });
const text = (max: number) => z.string().trim().min(1, 'is required').max(max);
/** Crews record what they did a few minutes ago; never in the future (one minute of clock skew), never a day back. */
const pastTime = z.number().int().positive().optional();
const MAX_BACKDATE_MS = 24 * 60 * 60_000;
const MAX_FUTURE_MS = 60_000;

const Complaint = z.strictObject({ chiefComplaint: text(500).nullable() });
/** An arrival time: not in the past (one minute of clock skew), not more than 12 hours ahead. */
const MAX_ETA_AHEAD_MS = 12 * 60 * 60_000;
/** Minutes from the appliance's clock (what the tablet sends: its own clock may be off), or an arrival time, or null to clear. */
const Eta = z
  .strictObject({ inMinutes: z.number().int().min(1).max(720).optional(), etaAt: z.number().int().positive().nullable().optional() })
  .refine((body) => (body.inMinutes === undefined) !== (body.etaAt === undefined), { path: ['inMinutes'], message: 'give either inMinutes or etaAt (null clears the ETA)' });
const Note = z.strictObject({ text: text(4000) });
const INTERVENTION_CODES = [...INTERVENTIONS.map((i) => i.code), 'other'] as const;
const Intervention = z
  .strictObject({
    code: z.enum(INTERVENTION_CODES),
    display: text(200).optional(),
    performedAt: pastTime,
    details: z.record(z.string().max(40), z.union([z.string().max(200), z.number(), z.boolean()])).optional(),
  })
  .refine((i) => i.code !== 'other' || i.display !== undefined, { path: ['display'], message: 'is required for code "other"' });
const Dose = z.strictObject({
  medication: text(100),
  dose: z.number().positive().max(100_000),
  doseUnit: z.enum(DOSE_UNITS),
  route: z.enum(MEDICATION_ROUTES),
});
const Give = Dose.extend({
  givenAt: pastTime,
  override: z.strictObject({ reason: z.string().trim().min(5, 'must say why, in at least 5 characters').max(500) }).optional(),
});

/** The field of the form each warning is about, for the refusal's issues (never the patient's values). */
const WARNING_FIELDS: Readonly<Record<MedicationWarningKind, { field: string; problem: string }>> = {
  allergy: { field: 'medication', problem: 'conflicts with a recorded allergy' },
  interaction: { field: 'medication', problem: 'interacts with a home medication' },
  hypotension: { field: 'medication', problem: 'contraindicated at the current systolic BP' },
  'not-for-population': { field: 'medication', problem: 'has no dose for this age group in the formulary' },
  route: { field: 'route', problem: 'is not a formulary route for this medication' },
  unit: { field: 'doseUnit', problem: 'cannot be converted to the formulary unit' },
  'weight-unknown': { field: 'dose', problem: 'cannot be checked without the weight' },
  'above-range': { field: 'dose', problem: 'is above the formulary range' },
  'below-range': { field: 'dose', problem: 'is below the formulary range' },
  'outside-range': { field: 'dose', problem: 'is outside the formulary ranges' },
  'above-total': { field: 'dose', problem: 'takes the case total above the formulary maximum' },
  'not-in-formulary': { field: 'medication', problem: 'is not in the formulary' },
  'age-unknown': { field: 'medication', problem: 'age unknown' },
  'blood-pressure-unknown': { field: 'medication', problem: 'no recent systolic BP' },
};

/**
 * What the tablet records on a case beyond the patient and timeline: chief complaint, notes,
 * interventions and medications (checked against the formulary), and what it reads back: the
 * chart, the handoff and the sync state. Every PHI read and write is audited.
 */
export function registerCareRoutes(app: FastifyInstance, deps: CareDependencies): void {
  const { store, audit, now } = deps;
  const actor = (crewId: string) => `crew:${crewId}`;

  app.get('/api/v1/formulary', async () => ({ medications: FORMULARY, routes: MEDICATION_ROUTES, units: DOSE_UNITS, interventions: INTERVENTIONS }));

  app.put('/api/v1/cases/:id/complaint', async (request) => {
    const crew = requireCrew(request);
    const { id } = parseInput(CaseId, request.params, 'case id');
    const { chiefComplaint } = parseInput(Complaint, request.body, 'chief complaint');
    return store.transaction(() => {
      store.cases.updateClinical(id, { chiefComplaint }, now());
      audit.append({ actor: actor(crew.crewId), action: 'complaint.update', resource: `case/${id}` });
      return { chiefComplaint };
    });
  });

  app.put('/api/v1/cases/:id/eta', async (request) => {
    const crew = requireCrew(request);
    const { id } = parseInput(CaseId, request.params, 'case id');
    const body = parseInput(Eta, request.body, 'ETA');
    const at = now();
    const etaAt = body.inMinutes !== undefined ? at + body.inMinutes * 60_000 : (body.etaAt ?? null);
    if (etaAt !== null && (etaAt < at - MAX_FUTURE_MS || etaAt > at + MAX_ETA_AHEAD_MS)) {
      throw new Hema3nError('INPUT_INVALID', 'The ETA must be between now and 12 hours from now', {
        issues: [{ field: 'etaAt', problem: 'must be an arrival time from now to 12 hours ahead (epoch ms)' }],
      });
    }
    return store.transaction(() => {
      store.cases.setEta(id, etaAt, at);
      audit.append({ actor: actor(crew.crewId), action: 'case.eta', resource: `case/${id}` });
      return { etaAt };
    });
  });

  app.post('/api/v1/cases/:id/notes', async (request, reply) => {
    const crew = requireCrew(request);
    const { id } = parseInput(CaseId, request.params, 'case id');
    const body = parseInput(Note, request.body, 'note');
    const note = store.transaction(() => {
      const added = store.care.addNote(id, { authorId: crew.crewId, text: body.text, now: now() });
      audit.append({ actor: actor(crew.crewId), action: 'note.add', resource: `case/${id}/note/${added.id}` });
      return added;
    });
    return reply.status(201).send(note);
  });

  app.post('/api/v1/cases/:id/interventions', async (request, reply) => {
    const crew = requireCrew(request);
    const { id } = parseInput(CaseId, request.params, 'case id');
    const body = parseInput(Intervention, request.body, 'intervention');
    const performedAt = checkTime(body.performedAt, now(), 'performedAt');
    const display = body.display ?? INTERVENTIONS.find((i) => i.code === body.code)!.display;
    const added = store.transaction(() => {
      const stored = store.care.addIntervention(id, { code: body.code, display, performedAt, performerId: crew.crewId, details: body.details ?? {}, now: now() });
      audit.append({ actor: actor(crew.crewId), action: 'intervention.add', resource: `case/${id}/intervention/${stored.id}` });
      return stored;
    });
    return reply.status(201).send(added);
  });

  app.post('/api/v1/cases/:id/medications/check', async (request) => {
    const crew = requireCrew(request);
    const { id } = parseInput(CaseId, request.params, 'case id');
    const dose = parseInput(Dose, request.body, 'medication');
    return store.transaction(() => {
      const check = checkDose(deps, id, dose);
      audit.append({ actor: actor(crew.crewId), action: 'medication.check', resource: `case/${id}` });
      return check;
    });
  });

  app.post('/api/v1/cases/:id/medications', async (request, reply) => {
    const crew = requireCrew(request);
    const { id } = parseInput(CaseId, request.params, 'case id');
    const { givenAt: requested, override, ...dose } = parseInput(Give, request.body, 'medication');
    const givenAt = checkTime(requested, now(), 'givenAt');
    const recorded = store.transaction(() => {
      const check = checkDose(deps, id, dose);
      if (check.needsOverride && !override) refuse(check);
      const stored = store.care.addMedication(id, {
        medication: check.medicationName,
        dose: dose.dose,
        doseUnit: dose.doseUnit,
        route: dose.route,
        givenAt,
        performerId: crew.crewId,
        warnings: check.warnings.map(({ kind, text }) => ({ kind, text })),
        overrideReason: check.needsOverride ? override!.reason : null,
        now: now(),
      });
      const resource = `case/${id}/medication/${stored.id}`;
      audit.append({ actor: actor(crew.crewId), action: 'medication.give', resource });
      if (check.needsOverride) audit.append({ actor: actor(crew.crewId), action: 'medication.override', resource, reason: override!.reason });
      return { ...stored, check };
    });
    return reply.status(201).send(recorded);
  });

  app.get('/api/v1/cases/:id/chart', async (request, reply) => {
    const crew = requireCrew(request);
    const { id } = parseInput(CaseId, request.params, 'case id');
    return store.transaction(() => {
      const chart = {
        case: store.cases.get(id),
        notes: store.content.notes(id),
        interventions: store.content.interventions(id),
        medications: store.care.medications(id),
        media: store.content.media(id),
        sync: store.care.syncState(id),
        access: reply.getHeader('x-hema3n-access') ?? 'care',
      };
      audit.append({ actor: actor(crew.crewId), action: 'chart.read', resource: `case/${id}` });
      return chart;
    });
  });

  app.get('/api/v1/cases/:id/handoff', async (request) => {
    const crew = requireCrew(request);
    const { id } = parseInput(CaseId, request.params, 'case id');
    return store.transaction(() => {
      const handoff = buildHandoff({
        record: store.cases.get(id),
        notes: store.content.notes(id),
        interventions: store.content.interventions(id),
        medications: store.care.medications(id),
        vitals: store.vitals.forCase(id),
        alerts: store.alerts.forCase(id),
        score: scoreVitals(deps.monitor.scoreInput(id)),
        crewNames: new Map(store.crew.list().map((m) => [m.id, m.name])),
        now: now(),
      });
      audit.append({ actor: actor(crew.crewId), action: 'handoff.read', resource: `case/${id}` });
      return { handoff, sync: store.care.syncState(id) };
    });
  });

  app.get('/api/v1/cases/:id/sync', async (request) => {
    const { id } = parseInput(CaseId, request.params, 'case id');
    store.cases.summary(id);
    return store.care.syncState(id);
  });
}

function checkDose(deps: CareDependencies, caseId: string, dose: Administration): MedicationCheck {
  const { patient } = deps.store.cases.get(caseId);
  const context: PatientContext = {
    ageYears: patient.ageYears,
    weightKg: patient.weightKg,
    allergies: patient.allergies,
    homeMedications: patient.homeMedications,
    systolicBP: deps.monitor.latest(caseId).vitals.SBP?.value ?? null,
  };
  const earlier = deps.store.care.medications(caseId).map((m) => ({ medication: m.medication, dose: m.dose, doseUnit: m.doseUnit, route: m.route }) as Administration);
  return checkAdministration(dose, context, earlier);
}

/** Names the fields and the kind of each warning; the values stay out of the error (they are PHI). */
function refuse(check: MedicationCheck): never {
  const issues = check.warnings.filter((w) => w.needsOverride).map((w) => WARNING_FIELDS[w.kind]);
  throw new Hema3nError('OVERRIDE_REQUIRED', 'The medication check raised warnings that need an override with a reason', { issues });
}

function checkTime(at: number | undefined, now: number, field: string): number {
  if (at === undefined) return now;
  if (at > now + MAX_FUTURE_MS || at < now - MAX_BACKDATE_MS) {
    throw new Hema3nError('INPUT_INVALID', `Invalid ${field}: must be within the last 24 hours`, { issues: [{ field, problem: 'must be within the last 24 hours, not in the future' }] });
  }
  return at;
}

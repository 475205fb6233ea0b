import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AuditLog } from '../audit/index.js';
import { CASE_STATUSES, type Store } from '../store/index.js';
import { requireCrew } from './auth.js';
import { parseInput } from './validation.js';

const CaseId = z.strictObject({ id: z.uuid() });
const CreateCase = z.strictObject({ incidentNumber: z.string().trim().min(1).max(64).optional() });
const SetStatus = z.strictObject({ status: z.enum(CASE_STATUSES) });
const text = (max: number) => z.string().trim().min(1).max(max);
const PatientUpdate = z.strictObject({
  givenName: text(100).nullable().optional(),
  familyName: text(100).nullable().optional(),
  birthDate: z.iso.date().nullable().optional(),
  ageYears: z.number().min(0).max(130).nullable().optional(),
  sex: z.enum(['male', 'female', 'other', 'unknown']).nullable().optional(),
  weightKg: z.number().min(0.3).max(400).nullable().optional(),
  allergies: z.array(text(100)).max(50).optional(),
  homeMedications: z.array(text(100)).max(100).optional(),
});

/** Case and patient routes. Every PHI read and write is audited in the same transaction. */
export function registerCaseRoutes(app: FastifyInstance, deps: { store: Store; audit: AuditLog; now: () => number }): void {
  const { store, audit, now } = deps;

  app.post('/api/v1/cases', async (request, reply) => {
    const crew = requireCrew(request);
    const body = parseInput(CreateCase, request.body ?? {}, 'case');
    const created = store.transaction(() => {
      const summary = store.cases.create({ incidentNumber: body.incidentNumber, actor: crew.crewId, now: now() });
      audit.append({ actor: `crew:${crew.crewId}`, action: 'case.create', resource: `case/${summary.id}` });
      return summary;
    });
    return reply.status(201).send(created);
  });

  app.get('/api/v1/cases', async (request) => {
    const crew = requireCrew(request);
    return store.transaction(() => {
      audit.append({ actor: `crew:${crew.crewId}`, action: 'case.list', resource: 'case/*' });
      return store.cases.list();
    });
  });

  app.get('/api/v1/cases/:id', async (request) => {
    const crew = requireCrew(request);
    const { id } = parseInput(CaseId, request.params, 'case id');
    return store.transaction(() => {
      const record = store.cases.get(id);
      audit.append({ actor: `crew:${crew.crewId}`, action: 'case.read', resource: `case/${id}` });
      return record;
    });
  });

  app.patch('/api/v1/cases/:id/patient', async (request) => {
    const crew = requireCrew(request);
    const { id } = parseInput(CaseId, request.params, 'case id');
    const update = parseInput(PatientUpdate, request.body, 'patient');
    return store.transaction(() => {
      const patient = store.cases.updatePatient(id, update, now());
      audit.append({ actor: `crew:${crew.crewId}`, action: 'patient.update', resource: `case/${id}/patient` });
      return patient;
    });
  });

  app.post('/api/v1/cases/:id/status', async (request) => {
    const crew = requireCrew(request);
    const { id } = parseInput(CaseId, request.params, 'case id');
    const { status } = parseInput(SetStatus, request.body, 'status');
    return store.transaction(() => {
      const summary = store.cases.setStatus(id, status, crew.crewId, now());
      audit.append({ actor: `crew:${crew.crewId}`, action: 'case.status', resource: `case/${id}`, reason: status });
      return summary;
    });
  });
}

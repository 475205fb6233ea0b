import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AuditLog } from '../audit/index.js';
import { CONSCIOUSNESS_LEVELS } from '../clinical/index.js';
import type { CaseMonitor, LiveEvents } from '../monitor/index.js';
import type { Store } from '../store/index.js';
import { requireCrew } from './auth.js';
import { parseInput } from './validation.js';

const CaseId = z.strictObject({ id: z.uuid() });
const Acknowledge = z.strictObject({ alertId: z.string().min(1).max(300) });
/** What the crew observes; the devices supply the rest. */
const CrewFindings = z.strictObject({
  consciousness: z.enum(CONSCIOUSNESS_LEVELS).optional(),
  onOxygen: z.boolean().optional(),
  spo2Scale: z.union([z.literal(1), z.literal(2)]).optional(),
  gcs: z.strictObject({ eye: z.number().int().min(1).max(4), verbal: z.number().int().min(1).max(5), motor: z.number().int().min(1).max(6) }).optional(),
  painScore: z.number().int().min(0).max(10).optional(),
  ageYears: z.number().min(0).max(130).optional(),
  highRiskSituation: z.boolean().optional(),
  expectedResources: z.number().int().min(0).max(10).optional(),
  beFast: z
    .strictObject({ balance: z.boolean(), eyes: z.boolean(), face: z.boolean(), arm: z.boolean(), speech: z.boolean(), lastKnownWellMinutes: z.number().min(0).optional() })
    .partial()
    .optional(),
});

export interface LiveDependencies {
  readonly store: Store;
  readonly audit: AuditLog;
  readonly monitor: CaseMonitor;
  readonly live: LiveEvents;
}

/** The live case view: stored vitals, crew findings, alerts, and a Server-Sent Events stream. */
export function registerLiveRoutes(app: FastifyInstance, deps: LiveDependencies): void {
  const { store, audit, monitor, live } = deps;

  app.get('/api/v1/cases/:id/vitals', async (request) => {
    const crew = requireCrew(request);
    const { id } = parseInput(CaseId, request.params, 'case id');
    return store.transaction(() => {
      store.cases.summary(id);
      audit.append({ actor: `crew:${crew.crewId}`, action: 'vitals.read', resource: `case/${id}/vitals` });
      return { vitals: store.vitals.forCase(id), latest: monitor.latest(id).vitals };
    });
  });

  app.post('/api/v1/cases/:id/findings', async (request) => {
    const crew = requireCrew(request);
    const { id } = parseInput(CaseId, request.params, 'case id');
    const findings = parseInput(CrewFindings, request.body, 'crew findings');
    store.cases.summary(id);
    audit.append({ actor: `crew:${crew.crewId}`, action: 'findings.record', resource: `case/${id}` });
    return monitor.setCrewFindings(id, findings);
  });

  app.get('/api/v1/cases/:id/alerts', async (request) => {
    const crew = requireCrew(request);
    const { id } = parseInput(CaseId, request.params, 'case id');
    audit.append({ actor: `crew:${crew.crewId}`, action: 'alerts.read', resource: `case/${id}/alerts` });
    return store.alerts.forCase(id);
  });

  app.post('/api/v1/alerts/acknowledge', async (request) => {
    const crew = requireCrew(request);
    const { alertId } = parseInput(Acknowledge, request.body, 'acknowledgement');
    return monitor.acknowledge(alertId, crew.crewId);
  });

  // EventSource cannot send headers, so the stream also accepts the session token as ?access_token=.
  app.get('/api/v1/cases/:id/live', async (request, reply) => {
    const crew = requireCrew(request);
    const { id } = parseInput(CaseId, request.params, 'case id');
    store.cases.summary(id);
    audit.append({ actor: `crew:${crew.crewId}`, action: 'case.live', resource: `case/${id}` });
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    const send = (event: unknown): void => void reply.raw.write(`data: ${JSON.stringify(event)}\n\n`);
    send({ type: 'snapshot', caseId: id, ...monitor.latest(id) });
    const unsubscribe = live.subscribe(id, send);
    const keepAlive = setInterval(() => reply.raw.write(': keep-alive\n\n'), 15_000);
    request.raw.on('close', () => {
      clearInterval(keepAlive);
      unsubscribe();
    });
  });
}

import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AuditLog } from '../audit/index.js';
import { readCase } from '../assessor/index.js';
import { scoreVitals } from '../clinical/index.js';
import { isHema3nError } from '../errors.js';
import type { InferenceResult, InferenceService } from '../inference/index.js';
import type { CaseMonitor } from '../monitor/index.js';
import type { Store } from '../store/index.js';
import { requireCrew } from './auth.js';
import { parseInput } from './validation.js';

export interface TriageDependencies {
  readonly store: Store;
  readonly audit: AuditLog;
  readonly monitor: CaseMonitor;
  /** Throws (NOT_READY) while no model is loaded. */
  readonly inference: () => InferenceService;
}

const CaseId = z.strictObject({ id: z.uuid() });
const Query = z.strictObject({ specialty: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'must be a lowercase specialty name such as cardiology').optional() });

type ModelAnswer =
  | { readonly available: true; readonly result: InferenceResult; readonly adapters: ReadonlyArray<{ specialty: string; version: string }> }
  | { readonly available: false; readonly reason: string; readonly adapters: ReadonlyArray<{ specialty: string; version: string }> };

/**
 * The triage card: the rule floor (NEWS2 with its parameters, ESI with reasons) from what the
 * devices and crew reported, and the model's view through the chosen specialty adapter. With no
 * model loaded the card still has the floor; the answer says why the model is missing.
 */
export function registerTriageRoutes(app: FastifyInstance, deps: TriageDependencies): void {
  app.get('/api/v1/cases/:id/triage', async (request) => {
    const crew = requireCrew(request);
    const { id } = parseInput(CaseId, request.params, 'case id');
    const { specialty } = parseInput(Query, request.query, 'triage query');
    const reading = deps.store.transaction(() => {
      const read = readCase(deps.store, deps.monitor, id);
      deps.audit.append({ actor: `crew:${crew.crewId}`, action: 'triage.read', resource: `case/${id}` });
      return read;
    });
    const rules = scoreVitals(reading.rules);
    return { rules, specialty: specialty ?? null, model: await askModel(deps, { ...reading.input, ...(specialty ? { specialty } : {}) }) };
  });
}

async function askModel(deps: TriageDependencies, input: Parameters<InferenceService['infer']>[0]): Promise<ModelAnswer> {
  let service: InferenceService;
  try {
    service = deps.inference();
  } catch (error) {
    return { available: false, reason: reasonOf(error, 'the model is not loaded'), adapters: [] };
  }
  const adapters = service.adapters.list().map(({ specialty, version }) => ({ specialty, version }));
  try {
    return { available: true, result: await service.infer(input), adapters };
  } catch (error) {
    return { available: false, reason: reasonOf(error, 'the model could not run'), adapters };
  }
}

/** The stable code and message, which name no patient values; anything else is not passed on. */
function reasonOf(error: unknown, fallback: string): string {
  if (isHema3nError(error)) return `${error.code}: ${error.message}`;
  return fallback;
}

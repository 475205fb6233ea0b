import type { FastifyInstance } from 'fastify';
import { parseScoreInput, scoreVitals } from '../clinical/index.js';
import { parseInferInput, type InferenceService } from '../inference/index.js';
import { requireCrew } from './auth.js';

/**
 * The same scoring as `hema3n score` and the same merged model result as `hema3n infer`, over
 * HTTP; the bodies are the same JSON objects.
 */
export function registerClinicalRoutes(app: FastifyInstance, deps: { inference: () => InferenceService }): void {
  app.post('/api/v1/score', async (request) => {
    requireCrew(request);
    return scoreVitals(parseScoreInput(request.body));
  });

  app.post('/api/v1/infer', async (request) => {
    requireCrew(request);
    return deps.inference().infer(parseInferInput(request.body));
  });
}

import type { FastifyInstance } from 'fastify';
import { parseScoreInput, scoreVitals } from '../clinical/index.js';
import { requireCrew } from './auth.js';

/** The same scoring as `hema3n score`, over HTTP; the body is the same JSON object. */
export function registerClinicalRoutes(app: FastifyInstance): void {
  app.post('/api/v1/score', async (request) => {
    requireCrew(request);
    return scoreVitals(parseScoreInput(request.body));
  });
}

/** The cloud's HTTP service (fastify): thin adapters from routes to the intake, the FHIR router and the board. */
export { buildCloudApp, type CloudAppDependencies, type HealthReport } from './app.js';
export { RECEIPT_HEADER } from './errors.js';

export { buildApiServer, type ApiDependencies, type HealthSource } from './server.js';
export { toProblem, type Problem } from './problem.js';
export { ApiPart } from './api-part.js';
export { parseInput } from './validation.js';

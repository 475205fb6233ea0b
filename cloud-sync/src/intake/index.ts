/** Envelope intake: from raw bytes to a signed receipt, with the payload stored where its kind belongs. */
export { EnvelopeIntake, type IntakeDependencies, type IntakeResult } from './intake.js';
export type { HandlerDependencies } from './handlers.js';

/**
 * The handover the crew gives at the destination: MIST (mechanism, injuries/illness, signs,
 * treatment) for the verbal handover and SBAR for the written one, built from the case. Pure.
 */
export { buildHandoff, type Handoff, type HandoffInput, type HandoffVital, type VitalsLine, type TreatmentLine } from './build.js';

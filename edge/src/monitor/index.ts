/**
 * The live clinical view of each active case: latest vitals, rule scores, deterioration alerts,
 * and the stream the tablet follows. Fed by committed device data from ingest.
 */
export { CaseMonitor } from './case-monitor.js';
export { LiveEvents, type LiveEvent, type CaseLiveEvent } from './live-events.js';

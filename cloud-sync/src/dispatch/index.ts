/** The dispatch board: per-case summaries from alerts, bundles and photos; the live event stream's messages; the page. */
export { DispatchBoard, BOARD_WINDOW_MS, type CaseListener } from './board.js';
export { DispatchStore, DISPATCH_FILE } from './store.js';
export { caseMessage, snapshotMessage, SSE_HEARTBEAT, SSE_HEARTBEAT_MS, SSE_RETRY } from './events.js';
export { DISPATCH_PAGE_HTML, DISPATCH_PAGE_CSP } from './page.js';
export { BOARD_VITALS, ESI_LOINC, type CaseSummary, type VitalReading, type Assessment, type PhotoRef, type Trend } from './summary.js';

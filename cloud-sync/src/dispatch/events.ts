import type { CaseSummary } from './summary.js';

/** One Server-Sent Events message; JSON never holds a raw newline, so one data line suffices. */
export function sseMessage(event: 'snapshot' | 'case', data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export function snapshotMessage(cases: readonly CaseSummary[], now: number): string {
  return sseMessage('snapshot', { serverTime: now, cases });
}

export function caseMessage(summary: CaseSummary, now: number): string {
  return sseMessage('case', { serverTime: now, case: summary });
}

/** A comment line: keeps proxies from closing an idle stream. */
export const SSE_HEARTBEAT = ': ping\n\n';
export const SSE_HEARTBEAT_MS = 15_000;
/** How long the browser waits before reconnecting after the stream broke. */
export const SSE_RETRY = 'retry: 3000\n\n';

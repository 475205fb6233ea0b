import { INGEST_REASONS, capIssues, type IngestError, type IngestErrorCode, type IngestIssue } from '../errors.js';

/** What a device receives on hema3n/v1/devices/{deviceId}/replies when a message is refused. */
export interface RejectionReply {
  readonly type: 'rejected';
  readonly code: IngestErrorCode;
  readonly reason: string;
  readonly issues: readonly IngestIssue[];
  /** The refused message's seq, or null when it could not be read. */
  readonly seq: number | null;
  /** The topic the refused message was published on. */
  readonly topic: string;
  /** When the appliance refused it (ISO-8601, UTC). */
  readonly at: string;
}

/**
 * The JSON reply for a refused message. It holds only our own texts (reason per code, issues
 * that name fields and limits) so no value the device sent is echoed back over the air.
 */
export function rejectionReply(error: IngestError, context: { topic: string; seq?: number; now?: number }): string {
  const reply: RejectionReply = {
    type: 'rejected',
    code: error.code,
    reason: INGEST_REASONS[error.code],
    issues: capIssues(error.issues).map(({ field, problem, code }) => ({ field, problem, code })),
    seq: context.seq ?? error.seq ?? null,
    topic: context.topic,
    at: new Date(context.now ?? Date.now()).toISOString(),
  };
  return JSON.stringify(reply);
}

import { IngestError } from '../errors.js';

export type SeqClass = 'new' | 'duplicate-or-late' | 'stale';

/** How far behind the last accepted seq a sample may arrive and still be stored. */
export const DEFAULT_REPLAY_WINDOW = 1024;

/**
 * Where a sample's seq stands against the device's last accepted seq. A repeat (QoS 1
 * redelivery) or a late sample within the window is for the store to accept idempotently;
 * only one older than the window is refused, as a replay or a device that lost its counter.
 */
export function classifySeq(lastSeq: number | null | undefined, seq: number, window: number = DEFAULT_REPLAY_WINDOW): SeqClass {
  if (lastSeq === null || lastSeq === undefined || seq > lastSeq) return 'new';
  return seq >= lastSeq - window ? 'duplicate-or-late' : 'stale';
}

/** classifySeq, throwing SEQ_STALE for a stale seq. */
export function admitSeq(lastSeq: number | null | undefined, seq: number, window: number = DEFAULT_REPLAY_WINDOW): Exclude<SeqClass, 'stale'> {
  const verdict = classifySeq(lastSeq, seq, window);
  if (verdict !== 'stale') return verdict;
  throw new IngestError(
    'SEQ_STALE',
    [{ field: 'seq', problem: `more than ${window} behind the last accepted seq ${String(lastSeq)}`, code: 'SEQ_STALE' }],
    { seq },
  );
}

import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntry {
  readonly id: number;
  readonly at: number;
  readonly actor: string;
  readonly action: string;
  readonly resource: string;
  readonly reason: string | null;
  readonly prevHash: string;
  readonly hash: string;
}

/** The id is part of what is hashed, so a row moved to another position no longer verifies. */
export function entryHash(entry: Omit<AuditEntry, 'hash'>): string {
  const content = JSON.stringify([entry.id, entry.at, entry.actor, entry.action, entry.resource, entry.reason, entry.prevHash]);
  return createHash('sha256').update(entry.prevHash).update(content).digest('hex');
}

export type ChainProblem =
  | { kind: 'edited'; id: number }
  | { kind: 'broken-link'; id: number }
  | { kind: 'gap'; afterId: number; nextId: number }
  | { kind: 'tail-deleted'; lastId: number; highestIssuedId: number };

/**
 * Walks the chain in id order. An edited row fails its own hash; an inserted or deleted row
 * breaks the link or leaves a gap in the ids; a deleted tail leaves the id counter ahead.
 */
export function verifyChain(entries: Iterable<AuditEntry>, highestIssuedId: number): ChainProblem[] {
  const problems: ChainProblem[] = [];
  let previous: AuditEntry | undefined;
  for (const entry of entries) {
    if (entryHash(entry) !== entry.hash) problems.push({ kind: 'edited', id: entry.id });
    const expectedPrev = previous?.hash ?? GENESIS_HASH;
    if (entry.prevHash !== expectedPrev) problems.push({ kind: 'broken-link', id: entry.id });
    const expectedId = (previous?.id ?? 0) + 1;
    if (entry.id !== expectedId) problems.push({ kind: 'gap', afterId: previous?.id ?? 0, nextId: entry.id });
    previous = entry;
  }
  const lastId = previous?.id ?? 0;
  if (highestIssuedId > lastId) problems.push({ kind: 'tail-deleted', lastId, highestIssuedId });
  return problems;
}

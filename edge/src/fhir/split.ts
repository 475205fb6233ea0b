import type { Bundle, BundleEntry } from '@medplum/fhirtypes';
import { Hema3nError, type FieldIssue } from '../errors.js';

export interface SplitLimits {
  /** Entries per part. */
  readonly maxEntries: number;
  /** UTF-8 bytes of a part serialised with JSON.stringify (no indentation). */
  readonly maxBytes: number;
}

export const DEFAULT_SPLIT_LIMITS: SplitLimits = { maxEntries: 200, maxBytes: 1_000_000 };

/**
 * Cuts a transaction or batch into parts within the limits, whole entries only, in order, with
 * every Binary entry moved ahead of the rest (stable), so a Binary is never in a later part than
 * the Media that points at it. Each part keeps the original bundle's other fields. Entries are
 * PUTs to fixed ids, so a reference from one part to another resolves once both have been sent;
 * sending the parts in order keeps every reference pointing backwards.
 * An empty bundle gives no parts. Throws INPUT_INVALID for bad limits, a bundle that is not a
 * transaction or batch, or an entry too big for a part on its own (all such entries named).
 */
export function splitBundle(bundle: Bundle, limits: SplitLimits = DEFAULT_SPLIT_LIMITS): Bundle[] {
  checkRequest(bundle, limits);
  const { entry = [], ...shell } = bundle;
  const emptyBytes = byteLength({ ...shell, entry: [] });
  const sized = binariesFirst(entry).map(({ entry: item, index }) => ({ item, index, bytes: byteLength(item) }));
  const oversized = sized.filter(({ bytes }) => emptyBytes + bytes > limits.maxBytes);
  if (oversized.length > 0) {
    const issues = oversized.map(({ index, bytes }) => ({ field: `entry[${index}]`, problem: `is ${bytes} bytes, too big for a part of at most ${limits.maxBytes} bytes` }));
    throw new Hema3nError('INPUT_INVALID', 'Some bundle entries cannot fit in any part', { issues });
  }
  const parts: BundleEntry[][] = [];
  let current: BundleEntry[] = [];
  let currentBytes = emptyBytes;
  for (const { item, bytes } of sized) {
    // Every entry after a part's first costs one comma more.
    const full = current.length === limits.maxEntries || currentBytes + 1 + bytes > limits.maxBytes;
    if (current.length > 0 && full) {
      parts.push(current);
      current = [];
      currentBytes = emptyBytes;
    }
    currentBytes += (current.length > 0 ? 1 : 0) + bytes;
    current.push(item);
  }
  if (current.length > 0) parts.push(current);
  return parts.map((entries) => ({ ...shell, entry: entries }));
}

function checkRequest(bundle: Bundle, limits: SplitLimits): void {
  const issues: FieldIssue[] = [];
  if (bundle.type !== 'transaction' && bundle.type !== 'batch') issues.push({ field: 'bundle.type', problem: "must be 'transaction' or 'batch'" });
  if (!Number.isInteger(limits.maxEntries) || limits.maxEntries < 1) issues.push({ field: 'maxEntries', problem: 'must be a whole number, 1 or more' });
  if (!Number.isInteger(limits.maxBytes) || limits.maxBytes < 1) issues.push({ field: 'maxBytes', problem: 'must be a whole number, 1 or more' });
  if (issues.length > 0) throw new Hema3nError('INPUT_INVALID', 'Cannot split this bundle', { issues });
}

function binariesFirst(entries: readonly BundleEntry[]): { entry: BundleEntry; index: number }[] {
  const indexed = entries.map((entry, index) => ({ entry, index }));
  const isBinary = ({ entry }: { entry: BundleEntry }): boolean => entry.resource?.resourceType === 'Binary';
  return [...indexed.filter(isBinary), ...indexed.filter((item) => !isBinary(item))];
}

function byteLength(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

import type { SqliteDatabase } from './database.js';

export interface GroupCommitOptions {
  /** Commit as soon as this many items are waiting. */
  readonly maxRows: number;
  /**
   * ... or this long after the first item arrived, whichever comes first. 0 commits at the end of
   * the current event-loop turn: everything that arrived in that turn shares one fsync, so batches
   * grow with load by themselves and a lone sample is not kept waiting.
   */
  readonly maxDelayMs: number;
}

interface Waiter<R> {
  readonly start: number;
  readonly count: number;
  readonly resolve: (results: R[]) => void;
  readonly reject: (error: unknown) => void;
}

export interface GroupCommitStats {
  commits: number;
  items: number;
  failures: number;
}

/**
 * Batches writes from many producers into one transaction (one fsync), and settles each
 * producer's promise only after the transaction holding its items committed. This is what
 * lets an acknowledgement mean "durable" at tens of thousands of rows per second.
 */
export class GroupCommit<T, R> {
  readonly stats: GroupCommitStats = { commits: 0, items: 0, failures: 0 };
  private items: T[] = [];
  private waiters: Waiter<R>[] = [];
  private timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  private closed = false;
  private readonly commitBatch: (items: T[]) => R[];

  constructor(
    db: SqliteDatabase,
    write: (items: readonly T[]) => R[],
    private readonly options: GroupCommitOptions,
  ) {
    this.commitBatch = db.transaction((items: T[]) => write(items));
  }

  /** Resolves with one result per item, in order, once they are committed. */
  submit(items: readonly T[]): Promise<R[]> {
    if (this.closed) return Promise.reject(new Error('group commit is closed'));
    if (items.length === 0) return Promise.resolve([]);
    return new Promise<R[]>((resolve, reject) => {
      this.waiters.push({ start: this.items.length, count: items.length, resolve, reject });
      for (const item of items) this.items.push(item);
      if (this.items.length >= this.options.maxRows) this.flush();
      else this.timer ??= this.schedule();
    });
  }

  private schedule(): NodeJS.Timeout | NodeJS.Immediate {
    const flush = (): void => this.flush();
    return this.options.maxDelayMs > 0 ? setTimeout(flush, this.options.maxDelayMs) : setImmediate(flush);
  }

  get pending(): number {
    return this.items.length;
  }

  /** Commits whatever is waiting, now. */
  flush(): void {
    this.cancelTimer();
    if (this.items.length === 0) return;
    const items = this.items;
    const waiters = this.waiters;
    this.items = [];
    this.waiters = [];
    let results: R[];
    try {
      results = this.commitBatch(items);
    } catch (error) {
      this.stats.failures += 1;
      for (const waiter of waiters) waiter.reject(error);
      return;
    }
    this.stats.commits += 1;
    this.stats.items += items.length;
    for (const waiter of waiters) waiter.resolve(results.slice(waiter.start, waiter.start + waiter.count));
  }

  private cancelTimer(): void {
    if (this.timer === undefined) return;
    if (this.options.maxDelayMs > 0) clearTimeout(this.timer as NodeJS.Timeout);
    else clearImmediate(this.timer as NodeJS.Immediate);
    this.timer = undefined;
  }

  /** Commits what is waiting and refuses anything after. */
  close(): void {
    this.flush();
    this.closed = true;
  }
}

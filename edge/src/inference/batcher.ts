/**
 * Micro-batching: requests that arrive while a batch runs (or within `windowMs`) run together as
 * one batch. A batch holds requests of one key only: LoRA weights are graph inputs without a
 * batch dimension, so requests with different adapters can never share a run.
 */
export interface BatchingOptions {
  /** Most rows in one run. */
  readonly maxBatch: number;
  /**
   * 0: run as soon as the session is free, batching whatever queued meanwhile (no added latency
   * for a lone request). Above 0: wait up to this long for company before a run that is not full.
   */
  readonly windowMs: number;
}

interface Pending<K, R, O> {
  readonly key: K;
  readonly row: R;
  resolve(output: O): void;
  reject(error: unknown): void;
}

export class MicroBatcher<K, R, O> {
  private queue: Pending<K, R, O>[] = [];
  private running = false;
  private scheduled = false;
  private timer: NodeJS.Timeout | undefined;
  private idle: (() => void)[] = [];
  private counts = { requests: 0, batches: 0 };

  constructor(
    private readonly run: (key: K, rows: readonly R[]) => Promise<readonly O[]>,
    private readonly options: BatchingOptions,
  ) {}

  submit(key: K, row: R): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ key, row, resolve, reject });
      this.counts.requests++;
      this.schedule();
    });
  }

  get stats(): { requests: number; batches: number } {
    return { ...this.counts };
  }

  /** Resolves once nothing is queued or running. */
  drained(): Promise<void> {
    if (!this.running && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private schedule(): void {
    if (this.running || this.scheduled || this.queue.length === 0) return;
    if (this.options.windowMs > 0 && this.queue.length < this.options.maxBatch) {
      this.timer ??= setTimeout(() => this.flush(), this.options.windowMs);
      return;
    }
    // An idle session runs a lone request at once (lowest batch-1 latency); whatever arrives
    // while it runs is batched when it is done.
    if (this.queue.length === 1) {
      this.flush();
      return;
    }
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    const first = this.queue[0];
    if (this.running || !first) return;
    const batch: Pending<K, R, O>[] = [];
    const rest: Pending<K, R, O>[] = [];
    for (const p of this.queue) (p.key === first.key && batch.length < this.options.maxBatch ? batch : rest).push(p);
    this.queue = rest;
    this.running = true;
    this.counts.batches++;
    this.run(first.key, batch.map((p) => p.row))
      .then((outputs) => batch.forEach((p, i) => p.resolve(outputs[i] as O)), (error: unknown) => batch.forEach((p) => p.reject(error)))
      .finally(() => {
        this.running = false;
        if (this.queue.length === 0) for (const resolve of this.idle.splice(0)) resolve();
        this.schedule();
      });
  }
}

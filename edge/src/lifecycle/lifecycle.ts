import type { Logger } from '../observability/index.js';

/** Something the appliance opens at start and must release at stop. */
export interface Part {
  readonly name: string;
  start(): Promise<void>;
  close(): Promise<void>;
  /** Whether the part is serving; /health reports it. */
  readonly ready: boolean;
  /** Extra facts for /health and doctor (e.g. the bound port, the execution provider). */
  describe?(): Record<string, unknown>;
}

/**
 * Starts parts in order and stops the started ones in reverse. Each stop runs in its own
 * try/catch so one failing part never keeps the rest (the store, last) from closing.
 */
export class Lifecycle {
  private readonly started: Part[] = [];

  constructor(
    private readonly parts: readonly Part[],
    private readonly logger: Logger,
  ) {}

  async start(signal?: AbortSignal): Promise<void> {
    for (const part of this.parts) {
      signal?.throwIfAborted();
      const t0 = performance.now();
      await part.start();
      this.started.push(part);
      this.logger.info({ part: part.name, ms: Math.round(performance.now() - t0) }, 'part started');
    }
  }

  async stop(): Promise<void> {
    while (this.started.length > 0) {
      const part = this.started.pop()!;
      try {
        await part.close();
        this.logger.info({ part: part.name }, 'part stopped');
      } catch (err) {
        this.logger.error({ part: part.name, err }, 'part failed to stop cleanly');
      }
    }
  }

  health(): Record<string, { ready: boolean } & Record<string, unknown>> {
    return Object.fromEntries(this.parts.map((p) => [p.name, { ready: p.ready, ...p.describe?.() }]));
  }

  get ready(): boolean {
    return this.parts.every((p) => p.ready);
  }
}

import { Hema3nError } from '../errors.js';
import type { Part } from '../lifecycle/index.js';
import { InferenceService, type InferenceOptions } from './service.js';

export interface InferencePartOptions extends InferenceOptions {
  readonly now: () => number;
  /** Follow adapter installs made by the CLI while the daemon runs (default true). */
  readonly watchAdapters?: boolean;
}

/**
 * The appliance part: start() loads and verifies the package, opens the session, warms it up and
 * loads the adapters; only then is it ready. A refused package fails start with its reason.
 */
export class InferencePart implements Part {
  readonly name = 'inference';
  private opened: InferenceService | undefined;
  private readySince: number | null = null;

  constructor(private readonly options: InferencePartOptions) {}

  get ready(): boolean {
    return this.opened !== undefined;
  }

  get service(): InferenceService {
    if (!this.opened) throw new Hema3nError('NOT_READY', 'The inference model is not loaded yet');
    return this.opened;
  }

  async start(): Promise<void> {
    const service = await InferenceService.open(this.options);
    if (this.options.watchAdapters ?? true) service.watchAdapters();
    this.opened = service;
    this.readySince = this.options.now();
  }

  describe(): Record<string, unknown> {
    if (!this.opened) return { provider: null, model: null, adapters: [] };
    return { ...this.opened.describe(), readySince: this.readySince === null ? null : new Date(this.readySince).toISOString() };
  }

  async close(): Promise<void> {
    const service = this.opened;
    this.opened = undefined;
    await service?.close();
  }
}

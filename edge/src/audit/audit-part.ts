import type { Logger } from '../observability/index.js';
import type { StorePart } from '../store/index.js';
import { AuditLog } from './audit-log.js';

/** Opens the audit log on the store and checks its chain once at start. */
export class AuditPart {
  readonly name = 'audit';
  private log: AuditLog | undefined;
  private chainOk: boolean | null = null;

  constructor(
    private readonly storePart: StorePart,
    private readonly logger: Logger,
    private readonly now: () => number,
  ) {}

  get ready(): boolean {
    return this.log !== undefined;
  }

  get audit(): AuditLog {
    if (!this.log) throw new Error('audit log used before start');
    return this.log;
  }

  async start(): Promise<void> {
    this.log = new AuditLog(this.storePart.store.db, this.now);
    const verification = this.log.verify();
    this.chainOk = verification.ok;
    // A broken chain is evidence, not a reason to stop treating patients: warn loudly, keep serving.
    if (!verification.ok) this.logger.error({ problems: verification.problems.slice(0, 10) }, 'audit chain verification failed');
    this.log.append({ actor: 'system', action: 'appliance.start', resource: 'appliance' });
  }

  describe(): Record<string, unknown> {
    return { chainOk: this.chainOk };
  }

  async close(): Promise<void> {
    this.log = undefined;
  }
}

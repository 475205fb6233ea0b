import { Hema3nError } from '../../errors.js';
import { CloudClient, SyncWorker } from '../../sync/index.js';
import type { Command } from '../command.js';
import { print } from '../output.js';
import { ensureIdentity } from './identity.js';

export const syncStatus: Command = {
  path: 'sync status',
  summary: 'outbox state: pending, sent and quarantined changes, media not yet at the cloud, the last receipt',
  usage: '',
  async run(ctx) {
    const { sync } = ctx.config();
    const counts = await ctx.withStore((store) => store.sync.counts());
    const result = { configured: Boolean(sync.cloudUrl && sync.cloudBoxKey && sync.cloudSignKey), cloudUrl: sync.cloudUrl ?? null, ...counts };
    print(ctx.io, ctx.json, result, () =>
      [
        `cloud:           ${result.cloudUrl ?? '(not configured)'}`,
        `pending:         ${counts.pending}`,
        `sent:            ${counts.sent}`,
        `quarantined:     ${counts.quarantined}`,
        `media pending:   ${counts.media.pendingFiles} file(s), ${counts.media.pendingBytes} bytes`,
        ...(counts.media.rejectedFiles > 0 ? [`media refused:   ${counts.media.rejectedFiles} file(s)`] : []),
        `last receipt:    ${counts.lastReceiptAt ? new Date(counts.lastReceiptAt).toISOString() : 'never'}`,
        ...(counts.lastError ? [`last error:      ${counts.lastError}`] : []),
      ].join('\n'),
    );
    return 0;
  },
};

export const syncNow: Command = {
  path: 'sync now',
  summary: 'run one sync pass now from this process (works with the daemon running or stopped)',
  usage: '',
  async run(ctx) {
    const { sync } = ctx.config();
    if (!sync.cloudUrl || !sync.cloudBoxKey || !sync.cloudSignKey) {
      throw new Hema3nError('CONFIG_INVALID', 'No cloud configured', {
        issues: [{ field: 'sync.cloudUrl (HEMA3N_CLOUD_URL)', problem: 'with HEMA3N_CLOUD_BOX_KEY and HEMA3N_CLOUD_SIGN_KEY, is required to sync' }],
      });
    }
    const report = await ctx.withStore(async (store, audit) => {
      const identity = await ensureIdentity(ctx, store, audit);
      const cloud = new CloudClient({ url: sync.cloudUrl!, signPublicKey: sync.cloudSignKey!, timeoutMs: sync.timeoutMs });
      const worker = new SyncWorker({ store, identity, cloud, cloudBoxKey: sync.cloudBoxKey!, logger: ctx.logger(), now: ctx.now, mediaChunkBytes: sync.mediaChunkBytes });
      const pass = await worker.runOnce();
      return { ...pass, ...store.sync.counts() };
    });
    print(ctx.io, ctx.json, report, () =>
      report.reachable
        ? `sent ${report.casesSent} case(s) and ${report.mediaFilesSent} media file(s) in ${report.envelopesSent} envelope(s); ${report.pending} change(s) and ${report.media.pendingFiles} media file(s) pending${report.failure ? `; stopped: ${report.failure}` : ''}`
        : 'cloud unreachable; nothing sent',
    );
    return report.reachable && !report.failure ? 0 : 69;
  },
};

export const syncRetry: Command = {
  path: 'sync retry',
  summary: 'put the changes and media files the cloud refused back in the queue, once the cause is mended',
  usage: '',
  async run(ctx) {
    const released = await ctx.withStore((store, audit) =>
      store.transaction(() => {
        const counts = store.sync.releaseRefused();
        audit.append({ actor: ctx.actor, action: 'sync.retry', resource: 'sync/outbox', reason: `${counts.cases} case(s), ${counts.mediaFiles} media file(s)` });
        return counts;
      }),
    );
    print(ctx.io, ctx.json, released, () => `${released.cases} case(s) and ${released.mediaFiles} media file(s) queued again for the next sync pass`);
    return 0;
  },
};

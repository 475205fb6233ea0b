import type { AuditLog } from '../../audit/index.js';
import { ensureIdentity as ensureApplianceIdentity } from '../../identity/index.js';
import type { Store, StoredIdentity } from '../../store/index.js';
import type { Command } from '../command.js';
import type { CliContext } from '../context.js';
import { print } from '../output.js';

/** The appliance identity; development makes one on first use, production requires provisioning. */
export function ensureIdentity(ctx: CliContext, store: Store, audit: AuditLog): Promise<StoredIdentity> {
  return ensureApplianceIdentity({ store, audit, mode: ctx.config().mode, actor: ctx.actor, now: ctx.now, warn: (m) => ctx.logger().warn(m) });
}

export const identity: Command = {
  path: 'identity',
  summary: "the appliance id and public keys (made on first use in development, with a warning)",
  usage: '',
  async run(ctx) {
    const current = await ctx.withStore((store, audit) => ensureIdentity(ctx, store, audit));
    const { applianceId, signPublicKey, boxPublicKey } = current;
    print(ctx.io, ctx.json, { applianceId, signPublicKey, boxPublicKey }, () =>
      [`appliance id:    ${applianceId}`, `sign public key: ${signPublicKey}`, `box public key:  ${boxPublicKey}`].join('\n'),
    );
    return 0;
  },
};

import type { AuditLog } from '../../audit/index.js';
import { Hema3nError } from '../../errors.js';
import { generateIdentity } from '../../keys/index.js';
import type { Store, StoredIdentity } from '../../store/index.js';
import type { Command } from '../command.js';
import type { CliContext } from '../context.js';
import { print } from '../output.js';

/** The appliance identity; development makes one on first use, production requires provisioning. */
export async function ensureIdentity(ctx: CliContext, store: Store, audit: AuditLog): Promise<StoredIdentity> {
  const existing = store.identity.get();
  if (existing) return existing;
  if (ctx.config().mode === 'production') throw new Hema3nError('IDENTITY_MISSING', 'This appliance has no identity yet');
  const made = await generateIdentity(ctx.now());
  store.transaction(() => {
    store.identity.create(made);
    audit.append({ actor: ctx.actor, action: 'identity.create', resource: 'appliance' });
  });
  ctx.logger().warn('DEVELOPMENT IDENTITY GENERATED: production appliances get theirs from `hema3n provision`.');
  return store.identity.get()!;
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

/**
 * The appliance identity (id, Ed25519 signing key, X25519 box key), kept in the encrypted
 * database. Development makes one on first use, loudly; production gets it from `hema3n provision`.
 */
import type { AuditLog } from '../audit/index.js';
import { Hema3nError } from '../errors.js';
import { generateIdentity } from '../keys/index.js';
import type { Store, StoredIdentity } from '../store/index.js';

export interface IdentityContext {
  readonly store: Store;
  readonly audit: AuditLog;
  readonly mode: 'development' | 'production';
  readonly actor: string;
  readonly now: () => number;
  readonly warn: (message: string) => void;
}

export async function ensureIdentity(ctx: IdentityContext): Promise<StoredIdentity> {
  const existing = ctx.store.identity.get();
  if (existing) return existing;
  if (ctx.mode === 'production') throw new Hema3nError('IDENTITY_MISSING', 'This appliance has no identity yet');
  const made = await generateIdentity(ctx.now());
  ctx.store.transaction(() => {
    if (ctx.store.identity.create(made)) ctx.audit.append({ actor: ctx.actor, action: 'identity.create', resource: 'appliance' });
  });
  ctx.warn('DEVELOPMENT IDENTITY GENERATED: production appliances get theirs from `hema3n provision`.');
  return ctx.store.identity.get()!;
}

import type { AuditLog } from '../audit/index.js';
import { generateIdentity } from '../keys/index.js';
import type { Store, StoredIdentity } from '../store/index.js';
import type { StepAction } from './steps.js';

export interface IdentityStepResult {
  readonly identity: StoredIdentity;
  readonly action: StepAction;
}

/**
 * The appliance identity (Ed25519 signing + X25519 box keys, inside the encrypted database).
 * Kept when it exists; replaced only on --rotate-identity, after which the cloud must register
 * the new signing key (`hema3n-cloud appliances add`).
 */
export async function provisionIdentity(store: Store, audit: AuditLog, actor: string, now: number, rotate: boolean): Promise<IdentityStepResult> {
  const existing = store.identity.get();
  if (existing && !rotate) return { identity: existing, action: 'unchanged' };
  const made = await generateIdentity(now);
  store.transaction(() => {
    if (existing) store.identity.replace(made);
    else store.identity.create(made);
    audit.append({ actor, action: existing ? 'identity.rotate' : 'identity.create', resource: 'appliance' });
  });
  return { identity: store.identity.get()!, action: existing ? 'replaced' : 'created' };
}

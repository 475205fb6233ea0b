import { loadOrCreateIdentity, publicIdentity } from '../../identity/index.js';
import type { Command } from '../command.js';
import { print } from '../output.js';

export const identity: Command = {
  path: 'identity',
  summary: "print the cloud's public keys (created on first use) for the appliances' configuration",
  usage: '',
  async run(ctx) {
    const keys = publicIdentity(await loadOrCreateIdentity(ctx.config().stateDir, ctx.now));
    print(ctx.io, ctx.json, keys, () => `HEMA3N_CLOUD_BOX_KEY=${keys.boxPublicKey}\nHEMA3N_CLOUD_SIGN_KEY=${keys.signPublicKey}`);
    return 0;
  },
};

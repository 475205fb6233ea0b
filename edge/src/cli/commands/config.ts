import { ENV_BINDINGS } from '../../config/index.js';
import type { Command } from '../command.js';
import { print } from '../output.js';

export const configCheck: Command = {
  path: 'config check',
  summary: 'validate the configuration (environment + HEMA3N_CONFIG file) and print it',
  usage: '',
  async run(ctx) {
    const config = ctx.config();
    const shown = { ...config, db: { ...config.db, key: config.db.key ? '[set]' : undefined } };
    print(ctx.io, ctx.json, { ok: true, config: shown }, () =>
      [`configuration ok (${Object.keys(ENV_BINDINGS).length} environment settings known)`, JSON.stringify(shown, null, 2)].join('\n'),
    );
    return 0;
  },
};

import { Hema3nError } from '../../errors.js';
import type { Command } from '../command.js';
import { print } from '../output.js';

export const auditVerify: Command = {
  path: 'audit verify',
  summary: 'verify the audit hash chain (edited, inserted or deleted rows)',
  usage: '',
  async run(ctx) {
    const result = await ctx.withStore((_store, audit) => audit.verify());
    print(ctx.io, ctx.json, result, () =>
      [`audit chain ${result.ok ? 'ok' : 'BROKEN'}: ${result.entries} entries`, ...result.problems.map((p) => `  - ${JSON.stringify(p)}`)].join('\n'),
    );
    if (!result.ok) throw new Hema3nError('AUDIT_CHAIN_BROKEN', `The audit chain has ${result.problems.length} problem(s)`);
    return 0;
  },
};

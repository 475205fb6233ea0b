import { CloudError } from '../../errors.js';
import type { ApplianceRecord } from '../../registry/index.js';
import type { Command } from '../command.js';
import { print, table } from '../output.js';

const COLUMNS = ['applianceId', 'status', 'signPublicKey', 'addedAt', 'revokedAt', 'highestSequence', 'lastSeenAt'] as const satisfies readonly (keyof ApplianceRecord)[];

function onlyId(positionals: readonly string[], command: string): string {
  if (positionals.length !== 1) throw new CloudError('USAGE', `${command} needs exactly one appliance id`);
  return positionals[0]!;
}

export const appliancesAdd: Command = {
  path: 'appliances add',
  summary: 'pair an appliance: its envelopes are accepted from now on',
  usage: '<applianceId> --sign-key <key from `hema3n identity`>',
  options: { 'sign-key': { type: 'string' } },
  async run(ctx, args) {
    const applianceId = onlyId(args.positionals, 'appliances add');
    const record = ctx.withRegistry((registry) => registry.add({ applianceId, signPublicKey: args.values['sign-key'] }, ctx.now()));
    print(ctx.io, ctx.json, record, () => `appliance ${record.applianceId} paired`);
    return 0;
  },
};

export const appliancesRevoke: Command = {
  path: 'appliances revoke',
  summary: 'refuse every envelope of an appliance from now on (its data stays)',
  usage: '<applianceId>',
  async run(ctx, args) {
    const applianceId = onlyId(args.positionals, 'appliances revoke');
    const record = ctx.withRegistry((registry) => registry.revoke(applianceId, ctx.now()));
    print(ctx.io, ctx.json, record, () => `appliance ${record.applianceId} revoked`);
    return 0;
  },
};

export const appliancesList: Command = {
  path: 'appliances list',
  summary: 'list paired and revoked appliances',
  usage: '',
  async run(ctx) {
    const records = ctx.withRegistry((registry) => registry.list());
    print(ctx.io, ctx.json, records, () => table(records, COLUMNS));
    return 0;
  },
};

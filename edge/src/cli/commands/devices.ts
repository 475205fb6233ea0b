import { z } from 'zod';
import { parseInput } from '../../api/index.js';
import { Hema3nError } from '../../errors.js';
import { hashSecret, newDeviceSecret } from '../../keys/index.js';
import type { Command } from '../command.js';
import { print, table, usage } from '../output.js';

export const DEVICE_KINDS = ['monitor', 'pulse-oximeter', 'bp-cuff', 'capnograph', 'glucometer', 'thermometer', 'camera', 'stethoscope'] as const;

const DeviceInput = z.object({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be 1-64 letters, digits, dot, dash or underscore'),
  kind: z.enum(DEVICE_KINDS),
});

export const devicesAdd: Command = {
  path: 'devices add',
  summary: 'register a device; prints its MQTT secret once',
  usage: `<id> --kind <${DEVICE_KINDS.join('|')}>`,
  options: { kind: { type: 'string' } },
  async run(ctx, args) {
    const input = parseInput(DeviceInput, { id: args.positionals[0], kind: args.values.kind }, 'device');
    const secret = newDeviceSecret();
    const secretHash = await hashSecret(secret, 'deviceSecret');
    await ctx.withStore((store, audit) =>
      store.transaction(() => {
        if (store.devices.get(input.id)) throw new Hema3nError('CONFLICT', `Device ${input.id} is already registered`);
        store.devices.add({ id: input.id, kind: input.kind, secretHash, now: ctx.now() });
        audit.append({ actor: ctx.actor, action: 'device.add', resource: `device/${input.id}` });
      }),
    );
    print(ctx.io, ctx.json, { id: input.id, kind: input.kind, secret }, () =>
      `device ${input.id} (${input.kind}) registered\nsecret (shown once, use as the MQTT password): ${secret}`,
    );
    return 0;
  },
};

export const devicesList: Command = {
  path: 'devices list',
  summary: 'list registered devices',
  usage: '',
  async run(ctx) {
    const devices = await ctx.withStore((store) => store.devices.list());
    print(ctx.io, ctx.json, devices, () => table(devices, ['id', 'kind', 'createdAt', 'revokedAt', 'lastSeenAt']));
    return 0;
  },
};

export const devicesRevoke: Command = {
  path: 'devices revoke',
  summary: 'revoke a device; it is refused at its next CONNECT',
  usage: '<id>',
  async run(ctx, args) {
    const id = args.positionals[0];
    if (!id) throw usage('devices revoke needs a device id');
    await ctx.withStore((store, audit) =>
      store.transaction(() => {
        if (!store.devices.revoke(id, ctx.now())) throw new Hema3nError('NOT_FOUND', `No active device ${id}`);
        audit.append({ actor: ctx.actor, action: 'device.revoke', resource: `device/${id}` });
      }),
    );
    print(ctx.io, ctx.json, { id, revoked: true }, () => `device ${id} revoked`);
    return 0;
  },
};

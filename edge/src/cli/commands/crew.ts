import { z } from 'zod';
import { parseInput } from '../../api/index.js';
import { hashSecret } from '../../keys/index.js';
import { CREW_ROLES } from '../../store/index.js';
import type { Command } from '../command.js';
import { print, table } from '../output.js';

const CrewInput = z.object({
  name: z.string().trim().min(1, 'is required').max(100),
  role: z.enum(CREW_ROLES),
  pin: z.string().regex(/^\d{4,12}$/, 'must be 4 to 12 digits'),
});

export const crewAdd: Command = {
  path: 'crew add',
  summary: 'register a crew member with a personal PIN',
  usage: '<name> --role <paramedic|technician|supervisor> --pin <digits>',
  options: { role: { type: 'string' }, pin: { type: 'string' } },
  async run(ctx, args) {
    const input = parseInput(CrewInput, { name: args.positionals.join(' '), role: args.values.role, pin: args.values.pin }, 'crew member');
    const pinHash = await hashSecret(input.pin, 'crewPin');
    const member = await ctx.withStore((store, audit) =>
      store.transaction(() => {
        const added = store.crew.add({ name: input.name, role: input.role, pinHash, now: ctx.now() });
        audit.append({ actor: ctx.actor, action: 'crew.add', resource: `crew/${added.id}` });
        return added;
      }),
    );
    const { id, name, role } = member;
    print(ctx.io, ctx.json, { id, name, role }, () => `crew member ${id} added (${role})`);
    return 0;
  },
};

export const crewList: Command = {
  path: 'crew list',
  summary: 'list crew members',
  usage: '',
  async run(ctx) {
    const crew = await ctx.withStore((store) => store.crew.list());
    print(ctx.io, ctx.json, crew, () => table(crew, ['id', 'name', 'role', 'createdAt']));
    return 0;
  },
};

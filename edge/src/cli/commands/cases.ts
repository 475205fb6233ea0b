import type { Command } from '../command.js';
import { stringOption } from '../command.js';
import { print, table } from '../output.js';

export const casesCreate: Command = {
  path: 'cases create',
  summary: "open a case; it becomes the vehicle's active case",
  usage: '[--incident <number>]',
  options: { incident: { type: 'string' } },
  async run(ctx, args) {
    const incidentNumber = stringOption(args, 'incident');
    const created = await ctx.withStore((store, audit) =>
      store.transaction(() => {
        const summary = store.cases.create({ incidentNumber, actor: ctx.actor, now: ctx.now() });
        audit.append({ actor: ctx.actor, action: 'case.create', resource: `case/${summary.id}` });
        return summary;
      }),
    );
    print(ctx.io, ctx.json, created, () => `case ${created.id} created and active`);
    return 0;
  },
};

export const casesList: Command = {
  path: 'cases list',
  summary: 'list cases, newest first',
  usage: '',
  async run(ctx) {
    const cases = await ctx.withStore((store, audit) =>
      store.transaction(() => {
        audit.append({ actor: ctx.actor, action: 'case.list', resource: 'case/*' });
        return store.cases.list();
      }),
    );
    print(ctx.io, ctx.json, cases, () => table(cases, ['id', 'status', 'acuity', 'incidentNumber', 'createdAt']));
    return 0;
  },
};

import { caseToBundle, snapshotFromStore, validateBundle } from '../../fhir/index.js';
import { Hema3nError } from '../../errors.js';
import type { Command } from '../command.js';
import { stringOption } from '../command.js';
import { print, table, usage } from '../output.js';
import { ensureIdentity } from './identity.js';

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

export const casesExport: Command = {
  path: 'cases export',
  summary: "print a case's FHIR R4 transaction Bundle (validated against the R4 definitions)",
  usage: '<caseId> --fhir',
  options: { fhir: { type: 'boolean' } },
  async run(ctx, args) {
    const caseId = args.positionals[0];
    if (!caseId || args.values.fhir !== true) throw usage('cases export needs <caseId> and --fhir (the one export format)');
    const bundle = await ctx.withStore(async (store, audit) => {
      const { applianceId } = await ensureIdentity(ctx, store, audit);
      const snapshot = snapshotFromStore(store, caseId, applianceId);
      audit.append({ actor: ctx.actor, action: 'case.export', resource: `case/${caseId}`, reason: 'fhir' });
      return caseToBundle(snapshot);
    });
    const validation = validateBundle(bundle);
    if (!validation.ok) {
      const issues = validation.issues.map((i) => ({ field: `${i.resourceType}/${i.id ?? '?'} ${i.path}`, problem: i.message }));
      throw new Hema3nError('INTERNAL', 'The exported bundle failed FHIR R4 validation', { issues });
    }
    // The bundle is JSON whichever way it is asked for.
    ctx.io.stdout.write(`${JSON.stringify(bundle, null, ctx.json ? undefined : 2)}\n`);
    return 0;
  },
};

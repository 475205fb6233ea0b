import { resolve } from 'node:path';
import type { AdapterRefusal, AdapterSummary } from '../../inference/index.js';
import type { Command } from '../command.js';
import { print, table, usage } from '../output.js';
import { openAdapterRegistry } from './infer.js';

type ListEntry = (AdapterSummary & { status: 'serving' }) | (Pick<AdapterRefusal, 'specialty' | 'source' | 'path' | 'code' | 'reason'> & { status: 'refused'; version: null; baseModelSha256: null });

export const adaptersList: Command = {
  path: 'adapters list',
  summary: 'LoRA adapters: installed ones (state dir) before bundled ones, and any refused with the reason',
  usage: '',
  async run(ctx) {
    const registry = await openAdapterRegistry(ctx);
    const entries: ListEntry[] = [
      ...registry.list().map((a) => ({ ...a, status: 'serving' as const })),
      ...registry.refused().map((r) => ({ ...r, status: 'refused' as const, version: null, baseModelSha256: null })),
    ];
    const rows = entries.map((e) => ({ ...e, targets: 'targets' in e ? e.targets.join(',') : null, rank: 'rank' in e ? e.rank : null, code: 'code' in e ? e.code : null }));
    print(ctx.io, ctx.json, entries, () => table(rows, ['specialty', 'version', 'source', 'status', 'rank', 'targets', 'code']));
    return 0;
  },
};

export const adaptersInstall: Command = {
  path: 'adapters install',
  summary: 'verify an adapter package (signature, base model, shapes) and install it; the version it replaces is kept for rollback',
  usage: '<dir>',
  async run(ctx, args) {
    const dir = args.positionals[0];
    if (!dir) throw usage('adapters install needs the adapter package directory');
    const registry = await openAdapterRegistry(ctx);
    const installed = await registry.install(resolve(ctx.io.cwd, dir));
    await ctx.withStore((_store, audit) => audit.append({ actor: ctx.actor, action: 'adapter.install', resource: `adapter/${installed.specialty}@${installed.version}` }));
    print(ctx.io, ctx.json, installed, () => `${installed.specialty} adapter ${installed.version} installed`);
    return 0;
  },
};

export const adaptersRemove: Command = {
  path: 'adapters remove',
  summary: 'stop serving the installed adapter of a specialty (kept for rollback; a bundled one serves again)',
  usage: '<specialty>',
  async run(ctx, args) {
    const specialty = args.positionals[0];
    if (!specialty) throw usage('adapters remove needs a specialty');
    const registry = await openAdapterRegistry(ctx);
    const removal = await registry.remove(specialty);
    await ctx.withStore((_store, audit) => audit.append({ actor: ctx.actor, action: 'adapter.remove', resource: `adapter/${specialty}@${removal.removedVersion ?? 'refused'}` }));
    print(ctx.io, ctx.json, removal, () =>
      `${specialty} adapter removed${removal.nowServing ? `; bundled ${removal.nowServing.version} serves it again` : '; no adapter serves it now'}`,
    );
    return 0;
  },
};

import { realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseFleetPublicKey } from '../../inference/index.js';
import { createProgress, currentModelDir, ModelStore, type ModelChange } from '../../ops/index.js';
import type { Command } from '../command.js';
import type { CliContext } from '../context.js';
import { print, table, usage } from '../output.js';
import { inferenceSettings } from './infer.js';

function openModelStore(ctx: CliContext): { store: ModelStore; modelDir: string } {
  const settings = inferenceSettings(ctx);
  return { store: new ModelStore(ctx.config().stateDir, parseFleetPublicKey(settings.fleetPublicKey)), modelDir: settings.modelDir };
}

const realOrNull = (path: string): Promise<string | null> => realpath(path).catch(() => null);

/** What a technician must do next: the daemon reads the model at start, and only from HEMA3N_MODEL_DIR. */
function afterChange(ctx: CliContext, change: ModelChange, modelDir: string, verb: string): string {
  const { current, previous } = change;
  const lines = [
    change.action === 'unchanged' ? `${current.id} ${current.version} is already installed; nothing changed` : `${current.id} ${current.version} ${verb}${previous ? ` (${previous.version} kept for rollback)` : ''}`,
  ];
  const expected = currentModelDir(ctx.config().stateDir);
  if (resolve(modelDir) !== expected) lines.push(`note: the daemon loads ${modelDir}; set HEMA3N_MODEL_DIR=${expected} (hema3n provision does) to serve installed models`);
  else if (change.action !== 'unchanged') lines.push('restart the daemon to serve it: systemctl restart hema3n-edge');
  return lines.join('\n');
}

async function audited(ctx: CliContext, change: ModelChange, action: string): Promise<void> {
  if (change.action === 'unchanged') return;
  await ctx.withStore((_store, audit) => audit.append({ actor: ctx.actor, action, resource: `model/${change.current.id}@${change.current.version}` }));
}

export const modelsInstall: Command = {
  path: 'models install',
  summary: 'verify a signed model package, stage it and switch to it atomically; the running version is kept for rollback',
  usage: '<package-dir>',
  async run(ctx, args) {
    const dir = args.positionals[0];
    if (!dir) throw usage('models install needs the model package directory');
    const { store, modelDir } = openModelStore(ctx);
    const stderr = ctx.io.stderr as { write(text: string): unknown; isTTY?: boolean };
    const change = await store.install(resolve(ctx.io.cwd, dir), (total) => createProgress(stderr, total, ctx.json));
    await audited(ctx, change, 'model.install');
    print(ctx.io, ctx.json, change, () => afterChange(ctx, change, modelDir, 'installed'));
    return 0;
  },
};

export const modelsRollback: Command = {
  path: 'models rollback',
  summary: 'switch back to the model version the last install replaced (verified again first)',
  usage: '',
  async run(ctx) {
    const { store, modelDir } = openModelStore(ctx);
    const change = await store.rollback();
    await audited(ctx, change, 'model.rollback');
    print(ctx.io, ctx.json, change, () => afterChange(ctx, change, modelDir, 'is current again'));
    return 0;
  },
};

export const modelsList: Command = {
  path: 'models list',
  summary: 'installed model versions (current, previous) and which one the daemon is configured to load',
  usage: '',
  async run(ctx) {
    const { store, modelDir } = openModelStore(ctx);
    const serving = await realOrNull(modelDir);
    const models = await Promise.all((await store.list()).map(async (m) => ({ ...m, serving: serving !== null && (await realOrNull(m.path)) === serving })));
    print(ctx.io, ctx.json, models, () => table(models, ['slot', 'id', 'version', 'sha256', 'serving']));
    return 0;
  },
};

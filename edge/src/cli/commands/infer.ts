import { Hema3nError } from '../../errors.js';
import {
  AdapterRegistry, InferenceService, loadModelPackage, parseFleetPublicKey, parseInferInput, resolveInferenceSettings,
  type InferenceResult, type InferenceSettings,
} from '../../inference/index.js';
import type { Command } from '../command.js';
import type { CliContext } from '../context.js';
import { print, readStdin } from '../output.js';

export function inferenceSettings(ctx: CliContext): InferenceSettings {
  const config = ctx.config();
  return resolveInferenceSettings({ configured: config.inference, cwd: ctx.io.cwd, stateDir: config.stateDir, mode: config.mode, logger: ctx.logger() });
}

/** The model package and the adapter registry without a session: what the adapters commands need. */
export async function openAdapterRegistry(ctx: CliContext): Promise<AdapterRegistry> {
  const settings = inferenceSettings(ctx);
  const fleetKey = parseFleetPublicKey(settings.fleetPublicKey);
  const model = await loadModelPackage(settings.modelDir, fleetKey);
  const registry = new AdapterRegistry({ model, installedDir: settings.adaptersDir, bundledDir: settings.bundledAdaptersDir, fleetKey, logger: ctx.logger() });
  await registry.load();
  return registry;
}


function readJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new Hema3nError('INPUT_INVALID', 'stdin is not one JSON object', { cause, issues: [{ field: '(stdin)', problem: 'must be JSON' }] });
  }
}

function human(r: InferenceResult): string {
  const { acuity } = r;
  const lines = [
    `ESI ${acuity.level} (rules ${acuity.ruleLevel}, model ${acuity.modelLevel}${acuity.disagreement ? `: ${acuity.disagreement}` : ''})`,
    ...acuity.reasons.map((reason) => `  - [${reason.rule}] ${reason.text}`),
    'conditions:',
    ...r.conditions.map((c) => `  ${c.probability.toFixed(3)}  ${c.display}`),
    `confidence ${r.confidence.toFixed(3)}; adapter ${r.adapter ? `${r.adapter.specialty} ${r.adapter.version}` : 'none'}; ${r.model.id} ${r.model.version} on ${r.provider}; ${r.latencyMs} ms`,
  ];
  if (r.model.referenceModel) lines.push(`note: ${r.model.statement}`);
  return lines.join('\n');
}

export const infer: Command = {
  path: 'infer',
  summary: "stdin: `score`'s input plus complaint, notes, specialty; stdout: the model result merged with the rule floor",
  usage: '< case.json',
  async run(ctx) {
    const input = parseInferInput(readJson(await readStdin(ctx.io)));
    const settings = inferenceSettings(ctx);
    const service = await InferenceService.open({ ...settings, logger: ctx.logger() });
    try {
      const result = await service.infer(input);
      print(ctx.io, ctx.json, result, () => human(result));
      return 0;
    } finally {
      await service.close();
    }
  },
};

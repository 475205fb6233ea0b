import { parseArgs } from 'node:util';
import { Hema3nError, toHema3nError } from '../errors.js';
import type { Command } from './command.js';
import { auditVerify } from './commands/audit.js';
import { casesCreate, casesExport, casesList } from './commands/cases.js';
import { configCheck } from './commands/config.js';
import { crewAdd, crewList } from './commands/crew.js';
import { dbExport, dbRekey, dbVerify } from './commands/db.js';
import { devicesAdd, devicesList, devicesRevoke } from './commands/devices.js';
import { doctor } from './commands/doctor.js';
import { adaptersInstall, adaptersList, adaptersRemove } from './commands/adapters.js';
import { identity } from './commands/identity.js';
import { infer } from './commands/infer.js';
import { mediaAdd } from './commands/media.js';
import { modelsInstall, modelsList, modelsRollback } from './commands/models.js';
import { provision } from './commands/provision.js';
import { score } from './commands/score.js';
import { simulate } from './commands/simulate.js';
import { start } from './commands/start.js';
import { syncNow, syncRetry, syncStatus } from './commands/sync.js';
import { createCliContext, type CliIo } from './context.js';
import { printError } from './output.js';

export type { CliIo } from './context.js';

export const COMMANDS: readonly Command[] = [
  start, configCheck, identity, dbVerify, dbRekey, dbExport, auditVerify,
  crewAdd, crewList, devicesAdd, devicesList, devicesRevoke, casesCreate, casesList, casesExport, mediaAdd, score, infer, adaptersList, adaptersInstall, adaptersRemove, simulate, syncStatus, syncNow, syncRetry,
  provision, doctor, modelsInstall, modelsRollback, modelsList,
];

/** Runs one `hema3n` invocation; resolves with the process exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const json = argv.includes('--json');
  try {
    const words = argv.filter((a) => a !== '--json');
    if (words.length === 0 || words[0] === 'help' || words[0] === '--help') {
      io.stdout.write(helpText());
      return 0;
    }
    const command = findCommand(words);
    const rest = words.slice(command.path.split(' ').length);
    const { positionals, values } = parseArgs({ args: rest, options: command.options ?? {}, allowPositionals: true, strict: true });
    return await command.run(createCliContext(io, json), { positionals, values });
  } catch (error) {
    const failure = asCliError(error);
    printError(io, json, failure);
    return failure.exitCode;
  }
}

function findCommand(words: readonly string[]): Command {
  const matches = COMMANDS.filter((c) => c.path.split(' ').every((w, i) => words[i] === w));
  const command = matches.sort((a, b) => b.path.length - a.path.length)[0];
  if (!command) throw new Hema3nError('USAGE', `Unknown command: ${words.slice(0, 2).join(' ')}`);
  return command;
}

/** parseArgs throws plain TypeErrors with ERR_PARSE_ARGS_* codes: those are usage errors. */
function asCliError(error: unknown): Hema3nError {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) return new Hema3nError('USAGE', (error as Error).message);
  return toHema3nError(error);
}

function helpText(): string {
  const lines = COMMANDS.map((c) => `  hema3n ${`${c.path} ${c.usage}`.trim().padEnd(58)} ${c.summary}`);
  return ['usage: hema3n <command> [--json]', '', ...lines, '', 'Configuration: see docs/CONFIGURATION.md', ''].join('\n');
}

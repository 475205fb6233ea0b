import { parseArgs } from 'node:util';
import { CloudError, toCloudError } from '../errors.js';
import type { Command, OptionSpec } from './command.js';
import { appliancesAdd, appliancesList, appliancesRevoke } from './commands/appliances.js';
import { identity } from './commands/identity.js';
import { start } from './commands/start.js';
import { createCliContext, type CliIo } from './context.js';
import { printError } from './output.js';

export type { CliIo } from './context.js';

export const COMMANDS: readonly Command[] = [start, identity, appliancesAdd, appliancesRevoke, appliancesList];

/** Runs one `hema3n-cloud` invocation; resolves with the process exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const json = argv.includes('--json');
  try {
    const words = argv.filter((a) => a !== '--json');
    if (words.length === 0 || words[0] === 'help' || words[0] === '--help') {
      io.stdout.write(helpText());
      return 0;
    }
    const command = findCommand(words);
    const rest = bindStringValues(words.slice(command.path.split(' ').length), command.options ?? {});
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
  if (!command) throw new CloudError('USAGE', `Unknown command: ${words.slice(0, 2).join(' ')}`);
  return command;
}

/**
 * A string option always takes the next word as its value. parseArgs would refuse a value that
 * starts with a dash, and one URL-safe base64 key in 64 does (`--sign-key -Xa3...`).
 */
function bindStringValues(args: readonly string[], options: OptionSpec): string[] {
  const bound: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const name = args[i]!.startsWith('--') ? args[i]!.slice(2) : undefined;
    if (name !== undefined && options[name]?.type === 'string' && i + 1 < args.length) bound.push(`--${name}=${args[++i]}`);
    else bound.push(args[i]!);
  }
  return bound;
}

/** parseArgs throws plain TypeErrors with ERR_PARSE_ARGS_* codes: those are usage errors. */
function asCliError(error: unknown): CloudError {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) return new CloudError('USAGE', (error as Error).message);
  return toCloudError(error);
}

function helpText(): string {
  const lines = COMMANDS.map((c) => `  hema3n-cloud ${`${c.path} ${c.usage}`.trim().padEnd(66)} ${c.summary}`);
  return ['usage: hema3n-cloud <command> [--json]', '', ...lines, '', 'Configuration and endpoints: docs/CLOUD.md', ''].join('\n');
}

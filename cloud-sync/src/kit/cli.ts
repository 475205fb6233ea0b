import { parseArgs } from 'node:util';

/** Where a command writes: stdout for its answer, stderr for failures and progress. */
export interface CliStreams {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

export type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

export interface ParsedArgs {
  readonly positionals: readonly string[];
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
}

export interface Command<Context> {
  /** The words that select it, e.g. `db verify`. */
  readonly path: string;
  readonly summary: string;
  /** Arguments after the path, e.g. `<caseId> [--fhir]`. */
  readonly usage: string;
  readonly options?: OptionSpec;
  /** Resolves with the exit code (0 unless the command reports a failed check). */
  run(ctx: Context, args: ParsedArgs): Promise<number>;
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === 'string' ? value : undefined;
}

/** What a technician is told of a failure: the product's typed error, as its CLI prints it. */
export interface CliFailure {
  readonly code: string;
  readonly message: string;
  readonly exitCode: number;
  readonly issues: ReadonlyArray<{ readonly field: string; readonly problem: string }>;
  /** What to do about it, where the product's catalogue says. */
  readonly fix?: string;
}

/** One product's command line: `hema3n` on the appliance, `hema3n-cloud` on the cloud. */
export interface CliProgram<Context, Io extends CliStreams> {
  readonly name: string;
  readonly commands: readonly Command<Context>[];
  /** Where the help's summaries start. */
  readonly helpColumn: number;
  /** The help's last line, e.g. where the configuration is documented. */
  readonly helpFooter: string;
  context(io: Io, json: boolean): Context;
  /** The product's USAGE error. */
  usage(message: string): CliFailure;
  /** Anything thrown, as the product's typed error. */
  failure(error: unknown): CliFailure;
}

/** Runs one invocation; resolves with the process exit code. `--json` anywhere makes every answer JSON. */
export async function runProgram<Context, Io extends CliStreams>(program: CliProgram<Context, Io>, argv: readonly string[], io: Io): Promise<number> {
  const json = argv.includes('--json');
  try {
    const words = argv.filter((a) => a !== '--json');
    if (words.length === 0 || words[0] === 'help' || words[0] === '--help') {
      io.stdout.write(helpText(program));
      return 0;
    }
    const command = findCommand(program, words);
    const rest = bindStringValues(words.slice(command.path.split(' ').length), command.options ?? {});
    const { positionals, values } = parseArgs({ args: rest, options: command.options ?? {}, allowPositionals: true, strict: true });
    return await command.run(program.context(io, json), { positionals, values });
  } catch (error) {
    const failure = asFailure(program, error);
    printError(io, json, program.name, failure);
    return failure.exitCode;
  }
}

function findCommand<Context>(program: CliProgram<Context, CliStreams>, words: readonly string[]): Command<Context> {
  const matches = program.commands.filter((c) => c.path.split(' ').every((w, i) => words[i] === w));
  const command = matches.sort((a, b) => b.path.length - a.path.length)[0];
  if (!command) throw program.usage(`Unknown command: ${words.slice(0, 2).join(' ')}`);
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
function asFailure<Context>(program: CliProgram<Context, CliStreams>, error: unknown): CliFailure {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) return program.usage((error as Error).message);
  return program.failure(error);
}

function helpText<Context>(program: CliProgram<Context, CliStreams>): string {
  const lines = program.commands.map((c) => `  ${program.name} ${`${c.path} ${c.usage}`.trim().padEnd(program.helpColumn)} ${c.summary}`);
  return [`usage: ${program.name} <command> [--json]`, '', ...lines, '', program.helpFooter, ''].join('\n');
}

/** With --json: exactly one JSON value on stdout. Otherwise the human form. */
export function print(io: CliStreams, json: boolean, value: unknown, human: () => string): void {
  io.stdout.write(json ? `${JSON.stringify(value)}\n` : `${human()}\n`);
}

/** With --json: `{"error": {"code", "message", "fix"?, "issues"?}}` on stderr; otherwise a line each, and the fix. */
export function printError(io: CliStreams, json: boolean, program: string, failure: CliFailure): void {
  if (json) {
    const fix = failure.fix === undefined ? {} : { fix: failure.fix };
    const issues = failure.issues.length > 0 ? { issues: failure.issues } : {};
    io.stderr.write(`${JSON.stringify({ error: { code: failure.code, message: failure.message, ...fix, ...issues } })}\n`);
    return;
  }
  const issues = failure.issues.map((i) => `\n  - ${i.field}: ${i.problem}`).join('');
  const fix = failure.fix === undefined ? '' : `\n  fix: ${failure.fix}`;
  io.stderr.write(`${program}: ${failure.code}: ${failure.message}${issues}${fix}\n`);
}

/** A fixed-width table for human output. */
export function table<T extends object>(rows: readonly T[], columns: readonly (keyof T & string)[]): string {
  if (rows.length === 0) return '(none)';
  const cells = rows.map((row) => columns.map((c) => formatCell(row[c])));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: readonly string[]): string => values.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(columns), ...cells.map(line)].join('\n');
}

function formatCell(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (typeof value === 'number' && value > 1e12) return new Date(value).toISOString();
  return String(value);
}

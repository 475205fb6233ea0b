import type { CliContext } from './context.js';

export type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

export interface ParsedArgs {
  readonly positionals: readonly string[];
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
}

export interface Command {
  /** The words that select it, e.g. `db verify`. */
  readonly path: string;
  readonly summary: string;
  /** Arguments after the path, e.g. `<caseId> [--fhir]`. */
  readonly usage: string;
  readonly options?: OptionSpec;
  /** Resolves with the exit code (0 unless the command reports a failed check). */
  run(ctx: CliContext, args: ParsedArgs): Promise<number>;
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === 'string' ? value : undefined;
}

import type { CliContext } from './context.js';

export type OptionSpec = Record<string, { type: 'string' | 'boolean' }>;

export interface ParsedArgs {
  readonly positionals: readonly string[];
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
}

export interface Command {
  /** The words that select it, e.g. `appliances add`. */
  readonly path: string;
  readonly summary: string;
  /** Arguments after the path, e.g. `<applianceId> --sign-key <key>`. */
  readonly usage: string;
  readonly options?: OptionSpec;
  /** Resolves with the exit code. */
  run(ctx: CliContext, args: ParsedArgs): Promise<number>;
}

import type { Command as KitCommand } from '../kit/index.js';
import type { CliContext } from './context.js';

export type { OptionSpec, ParsedArgs } from '../kit/index.js';
export type Command = KitCommand<CliContext>;

import type { Command as KitCommand } from '@hema3n/cloud-sync/kit';
import type { CliContext } from './context.js';

export { stringOption, type OptionSpec, type ParsedArgs } from '@hema3n/cloud-sync/kit';
export type Command = KitCommand<CliContext>;

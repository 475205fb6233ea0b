import { runProgram, type CliProgram } from '../kit/index.js';
import { CloudError, toCloudError } from '../errors.js';
import type { Command } from './command.js';
import { appliancesAdd, appliancesList, appliancesRevoke } from './commands/appliances.js';
import { identity } from './commands/identity.js';
import { start } from './commands/start.js';
import { createCliContext, type CliContext, type CliIo } from './context.js';

export type { CliIo } from './context.js';

export const COMMANDS: readonly Command[] = [start, identity, appliancesAdd, appliancesRevoke, appliancesList];

const PROGRAM: CliProgram<CliContext, CliIo> = {
  name: 'hema3n-cloud',
  commands: COMMANDS,
  helpColumn: 66,
  helpFooter: 'Configuration and endpoints: docs/CLOUD.md',
  context: createCliContext,
  usage: (message) => new CloudError('USAGE', message),
  failure: toCloudError,
};

/** Runs one `hema3n-cloud` invocation; resolves with the process exit code. */
export function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  return runProgram(PROGRAM, argv, io);
}

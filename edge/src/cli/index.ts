import { runProgram, type CliProgram } from '@hema3n/cloud-sync/kit';
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
import { createCliContext, type CliContext, type CliIo } from './context.js';

export type { CliIo } from './context.js';

export const COMMANDS: readonly Command[] = [
  start, configCheck, identity, dbVerify, dbRekey, dbExport, auditVerify,
  crewAdd, crewList, devicesAdd, devicesList, devicesRevoke, casesCreate, casesList, casesExport, mediaAdd, score, infer, adaptersList, adaptersInstall, adaptersRemove, simulate, syncStatus, syncNow, syncRetry,
  provision, doctor, modelsInstall, modelsRollback, modelsList,
];

const PROGRAM: CliProgram<CliContext, CliIo> = {
  name: 'hema3n',
  commands: COMMANDS,
  helpColumn: 58,
  helpFooter: 'Configuration: see docs/CONFIGURATION.md',
  context: createCliContext,
  usage: (message) => new Hema3nError('USAGE', message),
  failure: toHema3nError,
};

/** Runs one `hema3n` invocation; resolves with the process exit code. */
export function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  return runProgram(PROGRAM, argv, io);
}

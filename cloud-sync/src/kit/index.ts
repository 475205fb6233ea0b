/**
 * What the appliance's and the cloud's processes share besides the wire: the command-line runner,
 * frozen configuration and the PHI-redacting logger. The edge imports it as @hema3n/cloud-sync/kit.
 */
export {
  runProgram, print, printError, table, stringOption,
  type CliProgram, type CliFailure, type CliStreams, type Command, type OptionSpec, type ParsedArgs,
} from './cli.js';
export { deepFreeze, setPath, type DeepReadonly } from './config.js';
export { createServiceLogger, type ServiceLoggerOptions, type Logger, type DestinationStream } from './logger.js';

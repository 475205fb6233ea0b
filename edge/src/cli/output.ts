import { Hema3nError } from '../errors.js';
import type { CliIo } from './context.js';

export { print, table } from '@hema3n/cloud-sync/kit';

export async function readStdin(io: CliIo): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return Buffer.concat(chunks).toString('utf8');
}

export function usage(message: string): Hema3nError {
  return new Hema3nError('USAGE', message);
}

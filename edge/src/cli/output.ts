import { Hema3nError } from '../errors.js';
import type { CliIo } from './context.js';

/** With --json: exactly one JSON value on stdout. Otherwise the human form. */
export function print(io: CliIo, json: boolean, value: unknown, human: () => string): void {
  io.stdout.write(json ? `${JSON.stringify(value)}\n` : `${human()}\n`);
}

export function printError(io: CliIo, json: boolean, error: Hema3nError): void {
  if (json) {
    const issues = error.issues.length > 0 ? { issues: error.issues } : {};
    io.stderr.write(`${JSON.stringify({ error: { code: error.code, message: error.message, fix: error.fix, ...issues } })}\n`);
    return;
  }
  const issues = error.issues.map((i) => `\n  - ${i.field}: ${i.problem}`).join('');
  io.stderr.write(`hema3n: ${error.code}: ${error.message}${issues}\n  fix: ${error.fix}\n`);
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

export async function readStdin(io: CliIo): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return Buffer.concat(chunks).toString('utf8');
}

export function usage(message: string): Hema3nError {
  return new Hema3nError('USAGE', message);
}

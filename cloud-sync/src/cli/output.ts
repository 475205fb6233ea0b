import type { CloudError } from '../errors.js';
import type { CliIo } from './context.js';

/** With --json: exactly one JSON value on stdout. Otherwise the human form. */
export function print(io: CliIo, json: boolean, value: unknown, human: () => string): void {
  io.stdout.write(json ? `${JSON.stringify(value)}\n` : `${human()}\n`);
}

/** With --json: `{"error": {"code", "message", "issues"?}}` on stderr. */
export function printError(io: CliIo, json: boolean, error: CloudError): void {
  if (json) {
    const issues = error.issues.length > 0 ? { issues: error.issues } : {};
    io.stderr.write(`${JSON.stringify({ error: { code: error.code, message: error.message, ...issues } })}\n`);
    return;
  }
  const issues = error.issues.map((i) => `\n  - ${i.field}: ${i.problem}`).join('');
  io.stderr.write(`hema3n-cloud: ${error.code}: ${error.message}${issues}\n`);
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

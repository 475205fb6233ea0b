import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Hema3nError } from '../errors.js';
import { isMissing, writeFileDurably } from './durable-fs.js';

/** Where the units read their settings (EnvironmentFile= in systemd/hema3n-edge.service). */
export const DEFAULT_ENV_FILE = '/etc/hema3n/hema3n.env';

const HEADER = [
  '# HEMA3N Edge settings, read by hema3n-edge.service (EnvironmentFile=) and the hema3n wrapper.',
  '# Written by `hema3n provision`: the settings it owns are rewritten on every run, lines you add are kept.',
];

/** A value both systemd and a POSIX shell read the same way without quoting. */
const PLAIN_VALUE = /^[A-Za-z0-9_./:@+,=-]*$/;
const ASSIGNMENT = /^([A-Z][A-Z0-9_]*)=(.*)$/;

/** What provisioning writes: `owned` replaces whatever is there (null removes it); `defaults` only fills a gap. */
export interface EnvSettings {
  readonly owned: Readonly<Record<string, string | null>>;
  readonly defaults: Readonly<Record<string, string>>;
}

export function parseEnvFile(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = ASSIGNMENT.exec(line.trim());
    if (match) values.set(match[1]!, match[2]!);
  }
  return values;
}

/** The file with the settings applied; the technician's own lines and comments stay where they were. */
export function renderEnvFile(existing: string | null, settings: EnvSettings): string {
  const pending = new Map(Object.entries(settings.owned));
  const present = existing === null ? new Map<string, string>() : parseEnvFile(existing);
  for (const [name, value] of Object.entries(settings.defaults)) if (!present.has(name) && !pending.has(name)) pending.set(name, value);
  for (const [name, value] of pending) assertPlain(name, value);
  const lines = existing === null ? [...HEADER] : existing.replace(/\n$/, '').split('\n');
  const kept = lines.flatMap((line) => {
    const name = ASSIGNMENT.exec(line.trim())?.[1];
    if (name === undefined || !pending.has(name)) return [line];
    const value = pending.get(name);
    pending.delete(name);
    return value === null || value === undefined ? [] : [`${name}=${value}`];
  });
  const added = [...pending].flatMap(([name, value]) => (value === null ? [] : [`${name}=${value}`]));
  return `${[...kept, ...added].join('\n')}\n`;
}

function assertPlain(name: string, value: string | null): void {
  if (value !== null && !PLAIN_VALUE.test(value)) {
    throw new Hema3nError('INPUT_INVALID', `The setting ${name} cannot be written to the env file as it is`, {
      issues: [{ field: name, problem: 'must not contain spaces, quotes, $, # or backslashes (systemd and the shell would read it differently)' }],
    });
  }
}

export async function readEnvFile(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (isMissing(error)) return null;
    throw unwritable(path, error);
  }
}

/** World-readable, root-writable: it holds paths, a TPM handle and public keys, never a secret. */
export async function writeEnvFile(path: string, content: string): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true, mode: 0o755 });
    await writeFileDurably(path, content, 0o644);
  } catch (error) {
    throw unwritable(path, error);
  }
}

function unwritable(path: string, cause: unknown): Hema3nError {
  return new Hema3nError('ENV_FILE_UNWRITABLE', `Cannot read or write the env file ${path}`, { cause });
}

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const HEMA3N_BIN = fileURLToPath(new URL('../../bin/hema3n.js', import.meta.url));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `hema3n` bin in a child process, as a technician would. */
export function runHema3n(args: readonly string[], env: Record<string, string>, stdin?: string): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [HEMA3N_BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

/** The `{"error": {...}}` object a failing `--json` command writes on stderr. */
export interface CliJsonError {
  code: string;
  message: string;
  issues?: { field: string; problem: string }[];
}

export function jsonError(run: CliRun): CliJsonError {
  const line = run.stderr.trim().split('\n').at(-1) ?? '';
  return (JSON.parse(line) as { error: CliJsonError }).error;
}

import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hema3nError } from '../errors.js';

/**
 * Sealing the database key into the TPM (the Orin's fTPM) with tpm2-tools, the same tools the
 * tpm2 key provider unseals with. The key goes in on stdin, never on a command line (which
 * `ps` shows). Two persistent handles take turns: a rekey seals the new key at the free one,
 * re-encrypts, and only then evicts the old one, so a power cut never leaves no key at all.
 * The handles are in the owner range (TCG: 0x81000000-0x8100FFFF), clear of the SRK slots
 * (0x81000001/2) and of the endorsement range (0x8101xxxx) where fTPM provisioning puts the EKs.
 */
export const TPM2_HANDLES = ['0x81000100', '0x81000101'] as const;
export const TPM2_HANDLE = /^0x81[0-9a-fA-F]{6}$/;

/** The owner hierarchy's auth value, when fTPM provisioning set one: passed as `-P file:<path>`, never on the command line. */
export interface TpmAuth {
  readonly ownerAuthFile?: string | undefined;
}

const ownerAuth = (auth: TpmAuth): string[] => (auth.ownerAuthFile ? ['-P', `file:${auth.ownerAuthFile}`] : []);

export const otherHandle = (handle: string): string => (handle === TPM2_HANDLES[0] ? TPM2_HANDLES[1] : TPM2_HANDLES[0]);

function run(tool: string, args: readonly string[], stdin?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { stdio: [stdin === undefined ? 'ignore' : 'pipe', 'ignore', 'pipe'], timeout: 30_000 });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (cause: NodeJS.ErrnoException) => reject(tpmFailure(tool, cause.code === 'ENOENT' ? 'is not installed (apt-get install tpm2-tools)' : 'could not start', cause)));
    child.on('close', (code) => (code === 0 ? resolve() : reject(tpmFailure(tool, `exited with ${code}: ${stderr.trim().split('\n')[0] ?? ''}`))));
    // A tool that fails before reading its input closes the pipe (EPIPE): its exit status says why.
    child.stdin?.on('error', () => {});
    child.stdin?.end(stdin);
  });
}

const tpmFailure = (tool: string, why: string, cause?: unknown): Hema3nError =>
  new Hema3nError('DB_KEY_PROVIDER_FAILED', `TPM: ${tool} ${why}`, { cause });

/** Seals `hexKey` (64 hex characters, what tpm2_unseal will print) under the owner hierarchy at a persistent handle. */
export async function sealAtHandle(hexKey: string, handle: string, auth: TpmAuth): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'hema3n-tpm-'));
  const file = (name: string): string => join(work, name);
  try {
    await run('tpm2_createprimary', ['-C', 'o', ...ownerAuth(auth), '-g', 'sha256', '-G', 'ecc', '-c', file('primary.ctx')]);
    await run('tpm2_create', ['-C', file('primary.ctx'), '-g', 'sha256', '-i', '-', '-u', file('seal.pub'), '-r', file('seal.priv')], hexKey);
    await run('tpm2_load', ['-C', file('primary.ctx'), '-u', file('seal.pub'), '-r', file('seal.priv'), '-c', file('seal.ctx')]);
    await run('tpm2_evictcontrol', ['-C', 'o', ...ownerAuth(auth), '-c', file('seal.ctx'), handle]);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Removes the persistent object at `handle`. */
export function evictHandle(handle: string, auth: TpmAuth): Promise<void> {
  return run('tpm2_evictcontrol', ['-C', 'o', ...ownerAuth(auth), '-c', handle]);
}

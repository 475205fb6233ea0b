import { execFile } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Hema3nError } from '../errors.js';
import { fsyncPath } from './durable-fs.js';

const execFileAsync = promisify(execFile);
const DAY_MS = 86_400_000;

/** Doctor warns this many days before the appliance certificate expires. */
export const CERTIFICATE_WARN_DAYS = 30;

export interface CertificatePaths {
  readonly certFile: string;
  readonly keyFile: string;
}

export interface CertificateInfo {
  readonly subject: string;
  readonly notAfter: string;
  readonly daysLeft: number;
  /** SHA-256 fingerprint: what devices pin. */
  readonly fingerprint256: string;
  /** The DNS names in subjectAltName. */
  readonly dnsNames: string[];
  readonly keyMatches: boolean;
}

export const certificatePaths = (stateDir: string): CertificatePaths => ({
  certFile: join(stateDir, 'tls', 'appliance.crt'),
  keyFile: join(stateDir, 'tls', 'appliance.key'),
});

/** Reads the certificate (and, when given, checks the key belongs to it). Throws when either is unreadable. */
export async function inspectCertificate(certFile: string, keyFile: string | undefined, now: number): Promise<CertificateInfo> {
  const cert = new X509Certificate(await readFile(certFile));
  const keyMatches = keyFile === undefined ? true : cert.checkPrivateKey(createPrivateKey(await readFile(keyFile)));
  const notAfter = new Date(cert.validTo);
  return {
    subject: cert.subject.replace(/\n/g, ', '),
    notAfter: notAfter.toISOString(),
    daysLeft: Math.floor((notAfter.getTime() - now) / DAY_MS),
    fingerprint256: cert.fingerprint256,
    dnsNames: (cert.subjectAltName ?? '').split(', ').flatMap((n) => (n.startsWith('DNS:') ? [n.slice(4)] : [])),
    keyMatches,
  };
}

export interface NewCertificate extends CertificatePaths {
  readonly commonName: string;
  /** Extra DNS names devices may use to reach the appliance; localhost and 127.0.0.1 are always included. */
  readonly hostnames: readonly string[];
  readonly days: number;
}

/**
 * A self-signed P-256 certificate for the MQTT TLS listener (devices pin its fingerprint). Node 20
 * cannot issue certificates, so openssl does; both files are made in a private directory and
 * renamed into place, the key never readable by anyone but the service user.
 */
export async function makeCertificate(request: NewCertificate): Promise<void> {
  const dir = join(request.certFile, '..');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const work = await mkdtemp(join(dir, '.new-'));
  try {
    const key = join(work, 'key.pem');
    const cert = join(work, 'cert.pem');
    const names = ['DNS:localhost', 'IP:127.0.0.1', ...request.hostnames.map((h) => `DNS:${h}`)].join(',');
    await execFileAsync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', key, '-out', cert, '-days', String(request.days),
      '-subj', `/O=HEMA3N Edge/CN=${request.commonName}`, '-addext', `subjectAltName=${names}`,
    ], { timeout: 30_000 });
    await chmod(key, 0o600);
    for (const file of [key, cert]) await fsyncPath(file);
    await rename(key, request.keyFile);
    await rename(cert, request.certFile);
    await fsyncPath(dir);
  } catch (cause) {
    const reason = (cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'openssl is not installed' : 'openssl failed';
    throw new Hema3nError('CERTIFICATE_FAILED', `Cannot make the appliance certificate: ${reason}`, { cause });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

import { Hema3nError } from '../errors.js';
import { CERTIFICATE_WARN_DAYS, inspectCertificate, makeCertificate, type CertificateInfo, type CertificatePaths } from './certificate.js';
import type { ProvisionStep } from './steps.js';

export interface CertificateStepInput {
  readonly paths: CertificatePaths;
  readonly applianceId: string;
  readonly hostnames: readonly string[];
  readonly days: number;
  readonly renew: boolean;
  /** A new identity needs a certificate naming it; devices must pin the new one anyway. */
  readonly identityRotated: boolean;
  readonly now: number;
}

export interface CertificateStepResult {
  readonly paths: CertificatePaths;
  readonly info: CertificateInfo;
  readonly step: ProvisionStep;
}

const commonName = (applianceId: string): string => `hema3n-${applianceId}`;

/**
 * The MQTT TLS certificate. Devices pin its fingerprint, so a working certificate is never
 * replaced behind the technician's back: an expiring one or one naming another appliance is
 * reported and replaced on --renew-cert (or along with a rotated identity).
 */
export async function provisionCertificate(input: CertificateStepInput): Promise<CertificateStepResult> {
  const { certFile, keyFile } = input.paths;
  const existing = await inspectCertificate(certFile, keyFile, input.now).catch(() => null);
  const problem = existing ? unsuitability(existing, input) : null;
  if (existing && !problem && !input.renew) {
    return { paths: input.paths, info: existing, step: { name: 'certificate', action: 'unchanged', detail: `valid for ${existing.daysLeft} more days` } };
  }
  if (existing && !input.renew && !input.identityRotated) {
    throw new Hema3nError('PROVISION_WOULD_REPLACE', `The appliance certificate ${problem}; --renew-cert replaces it (devices must then pin the new fingerprint)`);
  }
  await makeCertificate({ ...input.paths, commonName: commonName(input.applianceId), hostnames: input.hostnames, days: input.days });
  const info = await inspectCertificate(certFile, keyFile, input.now);
  return { paths: input.paths, info, step: { name: 'certificate', action: existing ? 'replaced' : 'created', detail: `${info.fingerprint256}, valid until ${info.notAfter}` } };
}

function unsuitability(info: CertificateInfo, input: CertificateStepInput): string | null {
  if (!info.keyMatches) return 'does not match its private key';
  if (!info.subject.includes(commonName(input.applianceId))) return 'names another appliance';
  const missing = input.hostnames.filter((h) => !info.dnsNames.includes(h));
  if (missing.length > 0) return `does not name ${missing.join(', ')}`;
  if (info.daysLeft < CERTIFICATE_WARN_DAYS) return `expires in ${info.daysLeft} days`;
  return null;
}

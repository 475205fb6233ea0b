import { CERTIFICATE_WARN_DAYS, inspectCertificate } from './certificate.js';
import { fail, ok, warn, type Check, type DoctorContext, type Finding } from './doctor.js';

const RENEW = 'Run `hema3n provision --renew-cert`, then give the devices the new fingerprint.';

/** The appliance certificate the MQTT TLS listener and HTTPS serve: readable, matching its key, and not about to expire. */
export function certificateCheck(c: DoctorContext): Check {
  return {
    name: 'certificate',
    async run(): Promise<Finding> {
      const { mqtt, http, mode } = c.config;
      const pairs = new Map<string, string | undefined>();
      if (mqtt.tlsCertFile) pairs.set(mqtt.tlsCertFile, mqtt.tlsKeyFile);
      if (http.tlsCertFile) pairs.set(http.tlsCertFile, http.tlsKeyFile);
      if (pairs.size === 0) {
        const detail = 'no TLS certificate configured: devices and the tablet connect without TLS';
        return mode === 'production' ? warn(detail, 'Run `hema3n provision` (it makes the certificate and sets HEMA3N_MQTT_TLS_* and HEMA3N_HTTP_TLS_*).') : ok(detail);
      }
      const findings: Finding[] = [];
      for (const [certFile, keyFile] of pairs) {
        const info = await inspectCertificate(certFile, keyFile, c.now());
        const detail = `${certFile}: ${info.fingerprint256}, ${info.daysLeft} days left (until ${info.notAfter})`;
        if (!info.keyMatches) findings.push(fail(`${detail}; does not match ${keyFile}`, RENEW));
        else if (info.daysLeft < 0) findings.push(fail(`${detail}; expired`, RENEW));
        else if (info.daysLeft < CERTIFICATE_WARN_DAYS) findings.push(warn(`${detail}; expires within ${CERTIFICATE_WARN_DAYS} days`, RENEW));
        else findings.push(ok(detail));
      }
      const worst = findings.find((f) => f.level === 'fail') ?? findings.find((f) => f.level === 'warn');
      return { level: worst?.level ?? 'ok', detail: findings.map((f) => f.detail).join('; '), fix: worst?.fix ?? '' };
    },
  };
}

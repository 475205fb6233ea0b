import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestAppliance, type TestAppliance } from '../support/appliance.js';
import { connectDevice, publishAcked, vitalsPayload } from '../support/mqtt.js';
import { useTempDirs } from '../support/temp.js';

const tempDir = useTempDirs();
let running: TestAppliance | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

/** A throwaway appliance certificate, as provisioning would make (openssl, not our code). */
function selfSignedCertificate(dir: string): { cert: string; key: string } {
  const cert = join(dir, 'appliance.crt');
  const key = join(dir, 'appliance.key');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost'], { stdio: 'ignore' });
  return { cert, key };
}

describe('MQTT over TLS', () => {
  it('accepts devices on the TLS listener with the appliance certificate, and rejects no-TLS-config at startup', async () => {
    const dir = tempDir();
    const { cert, key } = selfSignedCertificate(dir);
    running = await startTestAppliance(dir, { HEMA3N_MQTT_TLS_PORT: '0', HEMA3N_MQTT_TLS_CERT_FILE: cert, HEMA3N_MQTT_TLS_KEY_FILE: key });
    const tlsPort = running.appliance.ingest.describe().tlsPort as number;
    expect(tlsPort).toBeGreaterThan(0);
    const dev = await running.addDevice('mon-tls');
    const client = await connectDevice(`mqtts://localhost:${tlsPort}`, dev.id, dev.secret, { ca: readFileSync(cert), rejectUnauthorized: true });
    await publishAcked(client, `hema3n/v1/devices/${dev.id}/vitals`, vitalsPayload(1, [{ code: 'HR', value: 77, unit: '/min' }]));
    expect(running.appliance.store.store.vitals.total()).toBe(1);
    client.end(true);
  });

  it('refuses a TLS port without certificate and key, naming both', async () => {
    await expect(startTestAppliance(tempDir(), { HEMA3N_MQTT_TLS_PORT: '8883' })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      issues: [
        { field: 'mqtt.tlsCertFile (HEMA3N_MQTT_TLS_CERT_FILE)', problem: 'is required when mqtt.tlsPort is set' },
        { field: 'mqtt.tlsKeyFile (HEMA3N_MQTT_TLS_KEY_FILE)', problem: 'is required when mqtt.tlsPort is set' },
      ],
    });
  });
});

import { Writable } from 'node:stream';
import { Appliance } from '../../src/appliance.js';
import { loadConfig } from '../../src/config/index.js';
import { hashSecret, newDeviceSecret } from '../../src/keys/index.js';
import { createLogger, createMetricsRegistry, type Registry } from '../../src/observability/index.js';
import { randomKeyHex } from './temp.js';

export interface TestAppliance {
  readonly appliance: Appliance;
  readonly metrics: Registry;
  readonly mqttUrl: string;
  readonly httpUrl: string;
  readonly logs: string[];
  addDevice(id: string, kind?: string): Promise<{ id: string; secret: string }>;
  stop(): Promise<void>;
}

/** The real appliance in this process, on ephemeral ports and a temp state dir. */
export async function startTestAppliance(stateDir: string, env: Record<string, string> = {}): Promise<TestAppliance> {
  const config = loadConfig({
    env: { HEMA3N_STATE_DIR: stateDir, HEMA3N_DB_KEY: randomKeyHex(), HEMA3N_HTTP_PORT: '0', HEMA3N_MQTT_PORT: '0', HEMA3N_LOG_LEVEL: 'debug', ...env },
    cwd: stateDir,
  });
  const logs: string[] = [];
  const sink = new Writable({ write: (chunk: Buffer, _enc, cb) => (logs.push(chunk.toString()), cb()) });
  const metrics = createMetricsRegistry();
  const appliance = new Appliance({ config, logger: createLogger({ level: config.logLevel, destination: sink }), metrics, now: Date.now });
  await appliance.start();
  const { http, mqtt } = appliance.ports();
  return {
    appliance,
    metrics,
    logs,
    mqttUrl: `mqtt://127.0.0.1:${mqtt}`,
    httpUrl: `http://127.0.0.1:${http}`,
    async addDevice(id, kind = 'monitor') {
      const secret = newDeviceSecret();
      appliance.store.store.devices.add({ id, kind, secretHash: await hashSecret(secret, 'deviceSecret'), now: Date.now() });
      return { id, secret };
    },
    stop: () => appliance.stop(),
  };
}

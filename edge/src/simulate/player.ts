import mqtt, { type MqttClient } from 'mqtt';
import type { Scenario } from './build.js';
import { playbackPlan } from './playback.js';

export interface DeviceCredentials {
  readonly id: string;
  readonly secret: string;
}

export interface PlaybackReport {
  readonly published: number;
  readonly acknowledged: number;
  readonly rejected: number;
  readonly rejectionCodes: Record<string, number>;
}

export interface PlayOptions {
  readonly mqttUrl: string;
  /** Credentials per scenario device (by idSuffix). */
  readonly devices: ReadonlyMap<string, DeviceCredentials>;
  /** Wall-clock seconds to play the whole scenario in (time compression). */
  readonly playSeconds: number;
  /**
   * Wait for each PUBACK before the next message, across all devices: the appliance then sees the
   * messages exactly in device-time order (real devices interleave freely; tests of timing want this).
   */
  readonly ordered?: boolean;
  readonly signal?: AbortSignal;
}

/**
 * Plays a scenario as the real devices would: one MQTT connection per device, QoS 1
 * publishes on the device's own topics, listening on its replies topic for rejections.
 */
export async function playScenario(scenario: Scenario, options: PlayOptions): Promise<PlaybackReport> {
  const clients = new Map<string, MqttClient>();
  const rejectionCodes: Record<string, number> = {};
  let acknowledged = 0;
  try {
    for (const [key, creds] of options.devices) {
      const client = await connect(options.mqttUrl, creds);
      client.on('message', (_topic, payload) => {
        const code = String((JSON.parse(payload.toString()) as { code?: unknown }).code);
        rejectionCodes[code] = (rejectionCodes[code] ?? 0) + 1;
      });
      await client.subscribeAsync(`hema3n/v1/devices/${creds.id}/replies`, { qos: 1 });
      clients.set(key, client);
    }
    const plan = playbackPlan(scenario.events, { durationSeconds: scenario.durationSeconds, playSeconds: options.playSeconds });
    const started = Date.now();
    const inFlight: Promise<void>[] = [];
    for (const { sendAfterMs, event } of plan) {
      options.signal?.throwIfAborted();
      const wait = started + sendAfterMs - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const client = clients.get(event.deviceKey)!;
      const creds = options.devices.get(event.deviceKey)!;
      const payload = Buffer.isBuffer(event.payload) ? event.payload : JSON.stringify(event.payload);
      const published = client.publishAsync(`hema3n/v1/devices/${creds.id}/${event.topicSuffix}`, payload, { qos: 1 }).then(() => void acknowledged++);
      if (options.ordered) await published;
      else inFlight.push(published);
    }
    await Promise.all(inFlight);
    // Replies are published before the PUBACK; give their delivery a moment on a busy machine.
    await new Promise((r) => setTimeout(r, 200));
    const rejected = Object.values(rejectionCodes).reduce((a, b) => a + b, 0);
    return { published: plan.length, acknowledged, rejected, rejectionCodes };
  } finally {
    await Promise.all([...clients.values()].map((c) => c.endAsync()));
  }
}

async function connect(url: string, creds: DeviceCredentials): Promise<MqttClient> {
  return mqtt.connectAsync(url, { username: creds.id, password: creds.secret, clientId: `${creds.id}-${process.pid}`, reconnectPeriod: 1000, connectTimeout: 10_000 });
}

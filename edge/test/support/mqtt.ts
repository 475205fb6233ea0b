import mqtt, { type MqttClient, type IClientOptions } from 'mqtt';

/** A real MQTT.js client connected as a device (client id = username = device id). */
export async function connectDevice(url: string, id: string, secret: string, options: IClientOptions = {}): Promise<MqttClient> {
  const client = mqtt.connect(url, { clientId: id, username: id, password: secret, reconnectPeriod: 0, connectTimeout: 5000, ...options });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  return client;
}

/** The error MQTT.js reports when the broker refuses a CONNECT. */
export async function connectRefusal(url: string, id: string, secret: string): Promise<Error> {
  const client = mqtt.connect(url, { clientId: id, username: id, password: secret, reconnectPeriod: 0, connectTimeout: 5000 });
  try {
    return await new Promise<Error>((resolve, reject) => {
      client.once('connect', () => reject(new Error('connected, but a refusal was expected')));
      client.once('error', resolve);
    });
  } finally {
    client.end(true);
  }
}

/** Publishes at QoS 1 and resolves on PUBACK. */
export function publishAcked(client: MqttClient, topic: string, payload: string | Buffer): Promise<void> {
  return new Promise((resolve, reject) => client.publish(topic, payload, { qos: 1 }, (err) => (err ? reject(err) : resolve())));
}

export function vitalsPayload(seq: number, measurements: Array<{ code: string; value: number; unit: string }>, ts = Date.now()): string {
  return JSON.stringify({ seq, ts, measurements });
}

/** Collects the JSON replies the appliance sends to a device. */
export async function listenForReplies(client: MqttClient, deviceId: string): Promise<Array<Record<string, unknown>>> {
  const replies: Array<Record<string, unknown>> = [];
  client.on('message', (_topic, payload) => replies.push(JSON.parse(payload.toString()) as Record<string, unknown>));
  await client.subscribeAsync(`hema3n/v1/devices/${deviceId}/replies`, { qos: 1 });
  return replies;
}

export async function waitUntil(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

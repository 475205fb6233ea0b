import { afterEach, describe, expect, it } from 'vitest';
import type { VitalsAccepted } from '../../src/ingest/index.js';
import { startTestAppliance, type TestAppliance } from '../support/appliance.js';
import { connectDevice, connectRefusal, listenForReplies, publishAcked, vitalsPayload, waitUntil } from '../support/mqtt.js';
import { useTempDirs } from '../support/temp.js';

const tempDir = useTempDirs();
let running: TestAppliance | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

async function start(): Promise<TestAppliance> {
  running = await startTestAppliance(tempDir());
  return running;
}

const HR = (value: number) => ({ code: 'HR', value, unit: '/min' });
const topic = (id: string, channel = 'vitals') => `hema3n/v1/devices/${id}/${channel}`;

function storedRows(t: TestAppliance): Array<{ seq: number; code: string; value: number; case_ref: number | null }> {
  return t.appliance.store.store.db.prepare('SELECT seq, code, value, case_ref FROM vital_signs ORDER BY seq, code').all() as never;
}

async function counter(t: TestAppliance, name: string, labels: Record<string, string>): Promise<number> {
  const metric = (await t.metrics.getSingleMetric(name)?.get())?.values ?? [];
  const match = metric.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l));
  return match?.value ?? 0;
}

describe('device ingestion over the embedded broker', () => {
  it('acknowledges a QoS 1 sample only once it is committed, converting units', async () => {
    const t = await start();
    const dev = await t.addDevice('mon-1');
    const client = await connectDevice(t.mqttUrl, dev.id, dev.secret);
    await publishAcked(client, topic(dev.id), vitalsPayload(1, [HR(88), { code: 'TEMP', value: 98.6, unit: 'degF' }]));
    // The PUBACK has arrived: the rows must already be committed.
    expect(storedRows(t)).toEqual([
      { seq: 1, code: 'HR', value: 88, case_ref: null },
      { seq: 1, code: 'TEMP', value: 37, case_ref: null },
    ]);
    client.end(true);
  });

  it('refuses unknown devices, wrong secrets and revoked devices at CONNECT, and audits each', async () => {
    const t = await start();
    const dev = await t.addDevice('spo2-1', 'pulse-oximeter');
    expect((await connectRefusal(t.mqttUrl, 'ghost', 'x')).message).toMatch(/Bad username or password/);
    expect((await connectRefusal(t.mqttUrl, dev.id, `${dev.secret}x`)).message).toMatch(/Bad username or password/);
    (await connectDevice(t.mqttUrl, dev.id, dev.secret)).end(true);
    t.appliance.store.store.devices.revoke(dev.id, Date.now());
    expect((await connectRefusal(t.mqttUrl, dev.id, dev.secret)).message).toMatch(/Bad username or password/);
    const denied = t.appliance.store.store.db.prepare(`SELECT actor FROM audit WHERE action = 'device.connect.denied'`).all();
    expect(denied).toEqual([{ actor: 'device:ghost' }, { actor: 'device:spo2-1' }, { actor: 'device:spo2-1' }]);
  });

  it('disconnects a device publishing outside its own prefix, storing nothing, and audits it', async () => {
    const t = await start();
    const a = await t.addDevice('mon-a');
    await t.addDevice('mon-b');
    const client = await connectDevice(t.mqttUrl, a.id, a.secret);
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    client.publish(topic('mon-b'), vitalsPayload(1, [HR(70)]), { qos: 1 });
    await closed;
    expect(storedRows(t)).toEqual([]);
    const audit = t.appliance.store.store.db.prepare(`SELECT actor, reason FROM audit WHERE action = 'mqtt.publish.denied'`).all();
    expect(audit).toEqual([{ actor: 'device:mon-a', reason: topic('mon-b') }]);
  });

  it('lets a device subscribe only to its own replies', async () => {
    const t = await start();
    const dev = await t.addDevice('mon-1');
    const client = await connectDevice(t.mqttUrl, dev.id, dev.secret);
    expect((await client.subscribeAsync(topic(dev.id, 'replies'), { qos: 1 })).map((g) => g.qos)).toEqual([1]);
    for (const forbidden of [topic('mon-2', 'replies'), 'hema3n/#', topic(dev.id, 'vitals')]) {
      await expect(client.subscribeAsync(forbidden, { qos: 1 })).rejects.toThrow(/Subscribe error/);
    }
    expect(client.connected).toBe(true);
    const audited = t.appliance.store.store.db.prepare(`SELECT count(*) AS n FROM audit WHERE action = 'mqtt.subscribe.denied'`).get();
    expect(audited).toEqual({ n: 3 });
    client.end(true);
  });

  it('answers each kind of bad input on the replies topic with its own code, stores nothing of it, and keeps serving', async () => {
    const t = await start();
    const dev = await t.addDevice('mon-1');
    const other = await t.addDevice('mon-2');
    const client = await connectDevice(t.mqttUrl, dev.id, dev.secret);
    const replies = await listenForReplies(client, dev.id);
    const bad: Array<[string | Buffer, string]> = [
      ['{"seq": 1, "ts":', 'PAYLOAD_MALFORMED_JSON'],
      [JSON.stringify({ seq: 'one', ts: Date.now(), measurements: [] }), 'PAYLOAD_INVALID'],
      [vitalsPayload(2, [{ code: 'XYZ', value: 1, unit: '/min' }]), 'MEASUREMENT_UNKNOWN_CODE'],
      [vitalsPayload(3, [{ code: 'HR', value: 80, unit: 'mmHg' }]), 'MEASUREMENT_UNIT_INVALID'],
      [vitalsPayload(4, [HR(900)]), 'MEASUREMENT_IMPOSSIBLE'],
      [vitalsPayload(5, [HR(80)], Date.UTC(2001, 0, 1)), 'TIMESTAMP_INVALID'],
      [Buffer.alloc(300 * 1024, 32), 'PAYLOAD_TOO_LARGE'],
    ];
    for (const [payload] of bad) await publishAcked(client, topic(dev.id), payload);
    await waitUntil(() => replies.length === bad.length);
    expect(replies.map((r) => r.code)).toEqual(bad.map(([, code]) => code));
    expect(replies.every((r) => r.type === 'rejected' && typeof r.reason === 'string')).toBe(true);
    expect(storedRows(t)).toEqual([]);
    expect(await counter(t, 'hema3n_ingest_rejections_total', { code: 'MEASUREMENT_IMPOSSIBLE' })).toBe(1);
    // The broker keeps serving this device and everyone else.
    await publishAcked(client, topic(dev.id), vitalsPayload(10, [HR(72)]));
    const second = await connectDevice(t.mqttUrl, other.id, other.secret);
    await publishAcked(second, topic(other.id), vitalsPayload(1, [HR(64)]));
    expect(storedRows(t).map((r) => r.value)).toEqual([64, 72]);
    client.end(true);
    second.end(true);
  });

  it('refuses a sample older than the replay window as SEQ_STALE', async () => {
    const t = await start();
    const dev = await t.addDevice('mon-1');
    const client = await connectDevice(t.mqttUrl, dev.id, dev.secret);
    const replies = await listenForReplies(client, dev.id);
    await publishAcked(client, topic(dev.id), vitalsPayload(5000, [HR(80)]));
    await publishAcked(client, topic(dev.id), vitalsPayload(10, [HR(81)]));
    await waitUntil(() => replies.length === 1);
    expect(replies[0]).toMatchObject({ code: 'SEQ_STALE', seq: 10 });
    client.end(true);
  });

  it('acknowledges a duplicate (device, seq) and stores it once, across reconnects', async () => {
    const t = await start();
    const dev = await t.addDevice('mon-1');
    let client = await connectDevice(t.mqttUrl, dev.id, dev.secret);
    await publishAcked(client, topic(dev.id), vitalsPayload(7, [HR(80)]));
    await publishAcked(client, topic(dev.id), vitalsPayload(7, [HR(80)]));
    client.end(true);
    client = await connectDevice(t.mqttUrl, dev.id, dev.secret);
    await publishAcked(client, topic(dev.id), vitalsPayload(7, [HR(80)]));
    expect(storedRows(t)).toHaveLength(1);
    expect(await counter(t, 'hema3n_ingest_messages_total', { channel: 'vitals', outcome: 'duplicate' })).toBe(2);
    client.end(true);
  });

  it('attaches samples to the active case and emits them after commit and acknowledgement, in order per device', async () => {
    const t = await start();
    const dev = await t.addDevice('mon-1');
    const { id: caseId } = t.appliance.store.store.cases.create({ actor: 'test', now: Date.now() });
    const seen: VitalsAccepted[] = [];
    t.appliance.events.on('test', 'vitals', (v) => seen.push(v));
    const client = await connectDevice(t.mqttUrl, dev.id, dev.secret);
    await Promise.all(Array.from({ length: 50 }, (_, i) => publishAcked(client, topic(dev.id), vitalsPayload(i + 1, [HR(60 + i)]))));
    await waitUntil(() => seen.length === 50);
    expect(seen.map((v) => v.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(seen.every((v) => v.caseId === caseId)).toBe(true);
    expect(t.appliance.store.store.vitals.forCase(caseId)).toHaveLength(50);
    t.appliance.events.removeOwner('test');
    client.end(true);
  });

  it('stores waveform chunks compactly and notes the gap before a late chunk', async () => {
    const t = await start();
    const dev = await t.addDevice('mon-1');
    const client = await connectDevice(t.mqttUrl, dev.id, dev.secret);
    const t0 = Date.now() - 10_000;
    const chunk = (seq: number, ts: number) => JSON.stringify({ seq, ts, sampleRateHz: 250, samples: Array.from({ length: 250 }, (_, i) => (i % 50) * 10) });
    await publishAcked(client, topic(dev.id, 'waveform/ecg-ii'), chunk(1, t0));
    await publishAcked(client, topic(dev.id, 'waveform/ecg-ii'), chunk(2, t0 + 1000));
    await publishAcked(client, topic(dev.id, 'waveform/ecg-ii'), chunk(4, t0 + 3000));
    const rows = t.appliance.store.store.db
      .prepare('SELECT seq, sample_count AS n, length(samples) AS bytes, gap_before_ms AS gap FROM waveform_chunks ORDER BY seq')
      .all();
    expect(rows).toEqual([
      { seq: 1, n: 250, bytes: 500, gap: null },
      { seq: 2, n: 250, bytes: 500, gap: 0 },
      { seq: 4, n: 250, bytes: 500, gap: 1000 },
    ]);
    client.end(true);
  });

  it('reports the bound MQTT port in /health', async () => {
    const t = await start();
    const health = (await (await fetch(`${t.httpUrl}/health`)).json()) as { ports: { mqtt: number }; parts: { ingest: { ready: boolean } } };
    expect(`mqtt://127.0.0.1:${health.ports.mqtt}`).toBe(t.mqttUrl);
    expect(health.parts.ingest.ready).toBe(true);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { hashSecret } from '../../src/keys/index.js';
import { startTestAppliance, type TestAppliance } from '../support/appliance.js';
import { connectDevice, publishAcked, vitalsPayload, waitUntil } from '../support/mqtt.js';
import { useTempDirs } from '../support/temp.js';

const tempDir = useTempDirs();
let running: TestAppliance | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

async function login(t: TestAppliance): Promise<string> {
  const member = t.appliance.store.store.crew.add({ name: 'Ada', role: 'paramedic', pinHash: await hashSecret('1357', 'crewPin'), now: Date.now() });
  const response = await fetch(`${t.httpUrl}/api/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ crewId: member.id, pin: '1357' }) });
  return ((await response.json()) as { token: string }).token;
}

/** Reads a Server-Sent Events stream into an array of parsed events. */
async function openStream(url: string): Promise<{ events: Array<Record<string, unknown>>; close: () => void }> {
  const controller = new AbortController();
  const response = await fetch(url, { signal: controller.signal });
  expect(response.headers.get('content-type')).toBe('text/event-stream');
  const events: Array<Record<string, unknown>> = [];
  const reader = response.body!.getReader();
  let buffer = '';
  void (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      buffer += new TextDecoder().decode(value);
      const parts = buffer.split('\n\n');
      buffer = parts.pop()!;
      for (const part of parts) if (part.startsWith('data: ')) events.push(JSON.parse(part.slice(6)) as Record<string, unknown>);
    }
  })();
  return { events, close: () => controller.abort() };
}

describe('live case view', () => {
  it('streams committed vitals, re-scored rules and a deterioration alert; the crew acknowledges it and both are audited', async () => {
    running = await startTestAppliance(tempDir());
    const t = running;
    const token = await login(t);
    const { id: caseId } = t.appliance.store.store.cases.create({ actor: 'test', now: Date.now() });
    const stream = await openStream(`${t.httpUrl}/api/v1/cases/${caseId}/live?access_token=${token}`);
    await waitUntil(() => stream.events.some((e) => e.type === 'snapshot'));

    const dev = await t.addDevice('mon-1');
    const client = await connectDevice(t.mqttUrl, dev.id, dev.secret);
    const t0 = Date.now() - 120_000;
    const vitals = (sbp: number) => [{ code: 'HR', value: 104, unit: '/min' }, { code: 'SBP', value: sbp, unit: 'mmHg' }];
    await publishAcked(client, `hema3n/v1/devices/${dev.id}/vitals`, vitalsPayload(1, vitals(112), t0));
    await publishAcked(client, `hema3n/v1/devices/${dev.id}/vitals`, vitalsPayload(2, vitals(86), t0 + 60_000));
    await waitUntil(() => stream.events.some((e) => e.type === 'alert'));
    const alertEvent = stream.events.find((e) => e.type === 'alert') as { alert: { id: string; kind: string; raisedAt: number } };
    expect(alertEvent.alert).toMatchObject({ kind: 'sbp-below-90', raisedAt: t0 + 60_000 });
    expect(stream.events.filter((e) => e.type === 'vitals')).toHaveLength(2);
    expect(stream.events.some((e) => e.type === 'scores')).toBe(true);

    const ack = await fetch(`${t.httpUrl}/api/v1/alerts/acknowledge`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ alertId: alertEvent.alert.id }),
    });
    expect(ack.status).toBe(200);
    expect(await ack.json()).toMatchObject({ id: alertEvent.alert.id, acknowledgedBy: expect.any(String) });
    const again = await fetch(`${t.httpUrl}/api/v1/alerts/acknowledge`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ alertId: alertEvent.alert.id }),
    });
    expect(again.status).toBe(409);
    const stored = t.appliance.store.store.alerts.forCase(caseId);
    expect(stored).toEqual([expect.objectContaining({ kind: 'sbp-below-90', acknowledgedAt: expect.any(Number) })]);
    const actions = (t.appliance.store.store.db.prepare(`SELECT action FROM audit WHERE action LIKE 'alert.%' ORDER BY id`).all() as Array<{ action: string }>).map((r) => r.action);
    expect(actions).toEqual(['alert.raise', 'alert.acknowledge']);
    expect(t.appliance.store.store.cases.summary(caseId).acuity).not.toBeNull();
    stream.close();
    client.end(true);
  });

  it('refuses the live stream without a session', async () => {
    running = await startTestAppliance(tempDir());
    const { id } = running.appliance.store.store.cases.create({ actor: 'test', now: Date.now() });
    expect((await fetch(`${running.httpUrl}/api/v1/cases/${id}/live`)).status).toBe(401);
  });

  it('merges crew findings into the next score, and names each bad finding', async () => {
    running = await startTestAppliance(tempDir());
    const token = await login(running);
    const { id } = running.appliance.store.store.cases.create({ actor: 'test', now: Date.now() });
    const post = (body: unknown) =>
      fetch(`${running!.httpUrl}/api/v1/cases/${id}/findings`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
    const ok = (await (await post({ consciousness: 'P', onOxygen: true })).json()) as { news2: { parameters: { consciousness: { score: number } } }; acuity: { level: number } };
    expect(ok.news2.parameters.consciousness.score).toBe(3);
    expect(ok.acuity.level).toBe(1);
    const bad = await post({ consciousness: 'Z', gcs: { eye: 9, verbal: 1, motor: 1 } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { issues: Array<{ field: string }> }).issues.map((i) => i.field).sort()).toEqual(['consciousness', 'gcs.eye']);
  });
});

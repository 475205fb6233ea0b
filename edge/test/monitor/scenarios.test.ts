import { afterEach, describe, expect, it } from 'vitest';
import { buildScenario, playScenario, type DeviceCredentials, type Scenario, type ScenarioName, type VitalsPayload } from '../../src/simulate/index.js';
import type { StoredAlert } from '../../src/store/index.js';
import { startTestAppliance, type TestAppliance } from '../support/appliance.js';
import { useTempDirs } from '../support/temp.js';

const tempDir = useTempDirs();
let running: TestAppliance | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

const DURATION_S = 900;
/**
 * 150x faster than real time, each message acknowledged before the next, so the appliance sees the
 * samples in device-time order however busy the machine is. The trend timeline never runs
 * backwards, so an alert may carry a sample a few seconds later than the first one showing it.
 */
const PLAY_SECONDS = 6;

interface Sample {
  at: number;
  rhythm?: string;
  values: Record<string, number>;
}

/** The scenario's vitals as the devices stamped them, read independently of the appliance. */
function samples(scenario: Scenario): Sample[] {
  return scenario.events
    .filter((e) => e.topicSuffix === 'vitals')
    .map((e) => {
      const payload = e.payload as VitalsPayload;
      const values = Object.fromEntries(payload.measurements.map((m) => [m.code, m.value]));
      return { at: new Date(payload.ts).getTime(), ...(payload.rhythm ? { rhythm: payload.rhythm } : {}), values };
    })
    .sort((a, b) => a.at - b.at);
}

/** When the condition first holds in the data: the alert must come with that sample. */
const FIRST_TRUE: Record<string, (all: Sample[]) => number | undefined> = {
  'rhythm-flag': (all) => all.find((s) => s.rhythm === 'STEMI')?.at,
  'sbp-below-90': (all) => {
    const bp = all.filter((s) => s.values.SBP !== undefined);
    return bp.find((s, i) => i > 0 && s.values.SBP! < 90 && bp[i - 1]!.values.SBP! >= 90)?.at;
  },
  // Judged on the one-minute median of SpO2 (docs/CLINICAL.md), not on second-to-second jitter.
  'spo2-fall': (all) => {
    const spo2 = all.filter((s) => s.values.SPO2 !== undefined);
    const smoothed = spo2.map((s) => ({ at: s.at, value: median(spo2.filter((p) => p.at <= s.at && p.at >= s.at - 60_000).map((p) => p.values.SPO2!)) }));
    return smoothed.find((s) => smoothed.some((p) => p.at < s.at && s.at - p.at <= 15 * 60_000 && p.value - s.value >= 4))?.at;
  },
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function play(name: ScenarioName, crew?: Record<string, unknown>): Promise<{ alerts: StoredAlert[]; scenario: Scenario }> {
  running = await startTestAppliance(tempDir());
  const t = running;
  const { id: caseId } = t.appliance.store.store.cases.create({ actor: 'test', now: Date.now() });
  if (crew) t.appliance.monitor.setCrewFindings(caseId, crew);
  const scenario = buildScenario(name, { durationSeconds: DURATION_S, seed: 7, startAt: Date.now() - DURATION_S * 1000 });
  const devices = new Map<string, DeviceCredentials>();
  for (const d of scenario.devices) devices.set(d.idSuffix, await t.addDevice(`${name}-${d.idSuffix}`, d.kind));
  const report = await playScenario(scenario, { mqttUrl: t.mqttUrl, devices, playSeconds: PLAY_SECONDS, ordered: true });
  expect(report).toMatchObject({ published: scenario.events.length, acknowledged: scenario.events.length, rejected: 0 });
  return { alerts: t.appliance.store.store.alerts.forCase(caseId), scenario };
}

describe('simulated scenarios raise the expected deterioration alerts, in time', () => {
  it.each([
    ['stemi', 'rhythm-flag'],
    ['hemorrhagic-shock', 'sbp-below-90'],
    ['opioid-overdose', 'spo2-fall'],
    ['sepsis', 'sbp-below-90'],
  ] as const)('%s raises %s with the first sample that shows it', async (name, kind) => {
    const { alerts, scenario } = await play(name);
    const alert = alerts.find((a) => a.kind === kind);
    expect(alert, `no ${kind} alert among ${alerts.map((a) => a.kind).join(', ')}`).toBeDefined();
    const expectedAt = FIRST_TRUE[kind]!(samples(scenario));
    expect(expectedAt).toBeDefined();
    expect(alert!.raisedAt - expectedAt!, 'alert time minus the first sample showing the condition (ms)').toBeGreaterThanOrEqual(0);
    expect(alert!.raisedAt - expectedAt!, 'alert time minus the first sample showing the condition (ms)').toBeLessThanOrEqual(10_000);
  }, 120_000);

  it('sepsis with the crew\'s findings recorded raises a NEWS2 rise', async () => {
    const { alerts } = await play('sepsis', { consciousness: 'C', onOxygen: false });
    expect(alerts.map((a) => a.kind)).toContain('news2-rise');
  }, 120_000);

  it('a normal patient raises no alert', async () => {
    const { alerts } = await play('normal');
    expect(alerts).toEqual([]);
  }, 120_000);
});

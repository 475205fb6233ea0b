import { describe, expect, it } from 'vitest';
import { Hema3nError } from '../../src/errors.js';
import { WaveformGapDetector, parseTopic } from '../../src/ingest/payloads/index.js';
import { DEFAULT_START_AT, buildScenario, playbackPlan, scenarioNames, type BuildOptions } from '../../src/simulate/index.js';
import { mean, meanBetween, receive, received, series } from './helpers.js';

const ALL = scenarioNames.map((name) => [name] as const);

describe('scenario catalogue', () => {
  it('offers the eight scenarios', () => {
    expect([...scenarioNames].sort()).toEqual(
      ['hemorrhagic-shock', 'hypothermia', 'normal', 'opioid-overdose', 'pediatric-respiratory-distress', 'sepsis', 'stemi', 'stroke'].sort(),
    );
  });

  it.each(ALL)('%s has a patient profile with a chief complaint', (name) => {
    const { profile } = buildScenario(name, { durationSeconds: 60 });
    expect(profile.ageYears).toBeGreaterThan(0);
    expect(profile.chiefComplaint.length).toBeGreaterThan(10);
  });

  it.each<[string, BuildOptions | undefined, string]>([
    ['an unknown scenario', undefined, 'name'],
    ['a duration under a minute', { durationSeconds: 10 }, 'durationSeconds'],
    ['a fractional seed', { seed: 1.5 }, 'seed'],
    ['an unknown option', { speed: 2 } as BuildOptions, '(options)'],
  ])('refuses %s as INPUT_INVALID', (_case, options, field) => {
    const name = field === 'name' ? 'flu' : 'normal';
    let error: unknown;
    try {
      buildScenario(name, options);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Hema3nError);
    expect((error as Hema3nError).code).toBe('INPUT_INVALID');
    expect((error as Hema3nError).issues[0]?.field).toBe(field);
  });
});

describe('scenario generation', () => {
  it('is deterministic for a seed and different for another seed', () => {
    const a = buildScenario('sepsis', { durationSeconds: 120, seed: 7 });
    const b = buildScenario('sepsis', { durationSeconds: 120, seed: 7 });
    const c = buildScenario('sepsis', { durationSeconds: 120, seed: 8 });
    expect(b.events).toEqual(a.events);
    expect(c.events).not.toEqual(a.events);
  });

  it('lists events in sending order, each on a topic the appliance accepts', () => {
    const scenario = buildScenario('stemi', { durationSeconds: 300 });
    const keys = new Set(scenario.devices.map((d) => d.idSuffix));
    scenario.events.forEach((event, i) => {
      if (i > 0) expect(event.atMs).toBeGreaterThanOrEqual(scenario.events[i - 1]!.atMs);
      expect(keys.has(event.deviceKey)).toBe(true);
      expect(parseTopic(`hema3n/v1/devices/amb7-${event.deviceKey}/${event.topicSuffix}`)).not.toBeNull();
    });
  });

  it('fits the whole clinical course into the chosen duration', () => {
    const r = receive(buildScenario('hemorrhagic-shock', { durationSeconds: 600 }));
    expect(r.ecg).toHaveLength(600);
    expect(r.scenario.events.at(-1)!.atMs).toBeLessThanOrEqual(601_100);
    expect(series(r, 'nibp', 'SBP').at(-1)!.value).toBeLessThan(90);
  });

  it('stamps payloads from the chosen start', () => {
    const startAt = new Date('2026-05-04T03:02:01.000Z');
    const r = receive(buildScenario('normal', { durationSeconds: 60, startAt }));
    expect(Math.min(...r.vitals.map((v) => v.deviceTs))).toBeGreaterThanOrEqual(startAt.getTime());
    expect(buildScenario('normal', { durationSeconds: 60 }).startAt).toBe(DEFAULT_START_AT);
  });

  it('can send the ECG as JSON chunks instead of HWF1', () => {
    const r = receive(buildScenario('stemi', { durationSeconds: 60, waveformEncoding: 'json' }));
    expect(r.ecg.every((c) => c.encoding === 'json' && c.sampleRateHz === 250 && c.sampleCount === 250)).toBe(true);
  });
});

describe.each(ALL)('scenario %s through the appliance validators', (name) => {
  it('produces only messages the validators accept, with no clock correction needed', () => {
    const r = received(name);
    expect(r.vitals.length + r.ecg.length).toBe(r.scenario.events.length);
    expect(r.vitals.every((v) => v.skewMs === 0) && r.ecg.every((c) => c.skewMs === 0)).toBe(true);
  });

  it('numbers each device stream 0, 1, 2, … and sends an unbroken ECG', () => {
    const r = received(name);
    for (const device of r.scenario.devices) {
      const seqs = r.vitals.filter((v) => v.deviceKey === device.idSuffix).map((v) => v.seq);
      expect(seqs).toEqual(seqs.map((_, i) => i));
    }
    const detector = new WaveformGapDetector();
    const continuity = r.ecg.map((chunk) => detector.observe(chunk).continuity);
    expect(continuity.slice(1).every((c) => c === 'contiguous')).toBe(true);
  });

  it('has every device report: monitor every 5 s, oximeter every second, cuff every 3 to 5 minutes', () => {
    const r = received(name);
    expect(series(r, 'monitor', 'HR')).toHaveLength(360);
    expect(series(r, 'spo2', 'SPO2')).toHaveLength(1800);
    const cuff = series(r, 'nibp', 'SBP').map((p) => p.minute);
    expect(cuff.length).toBeGreaterThanOrEqual(6);
    cuff.slice(1).forEach((minute, i) => expect(minute - cuff[i]!).toBeGreaterThanOrEqual(3));
    cuff.slice(1).forEach((minute, i) => expect(minute - cuff[i]!).toBeLessThanOrEqual(5));
    expect(series(r, 'thermo', 'TEMP').length).toBeGreaterThan(0);
    expect(series(r, 'glucose', 'GLUCOSE').length).toBeGreaterThan(0);
  });
});

describe('scenario signatures', () => {
  it('normal: vital signs stay in the normal adult ranges, whatever units the devices use', () => {
    const r = received('normal');
    const all = (device: string, code: string) => series(r, device, code).map((p) => p.value);
    expect(Math.min(...all('monitor', 'HR'))).toBeGreaterThanOrEqual(60);
    expect(Math.max(...all('monitor', 'HR'))).toBeLessThanOrEqual(100);
    expect(Math.min(...all('spo2', 'SPO2'))).toBeGreaterThanOrEqual(95);
    expect(Math.max(...all('nibp', 'SBP'))).toBeLessThanOrEqual(140);
    for (const t of all('thermo', 'TEMP')) expect(t).toBeGreaterThanOrEqual(36);
    for (const g of all('glucose', 'GLUCOSE')) expect(g).toBeGreaterThanOrEqual(70);
    expect(r.scenario.events.some((e) => JSON.stringify(e.payload).includes('[degF]'))).toBe(true);
    expect(r.vitals.every((v) => v.rhythm === undefined || v.rhythm === 'SINUS')).toBe(true);
  });

  it('sepsis: HR and RR rise, SBP falls below 90, fever throughout', () => {
    const r = received('sepsis');
    const hr = series(r, 'monitor', 'HR');
    const rr = series(r, 'monitor', 'RR');
    expect(meanBetween(hr, 25, 30) - meanBetween(hr, 0, 5)).toBeGreaterThan(10);
    expect(meanBetween(rr, 25, 30) - meanBetween(rr, 0, 5)).toBeGreaterThan(4);
    const sbp = series(r, 'nibp', 'SBP');
    expect(sbp.at(-1)!.value).toBeLessThan(90);
    expect(sbp.at(-1)!.value).toBeLessThan(sbp[0]!.value - 10);
    for (const t of series(r, 'thermo', 'TEMP')) expect(t.value).toBeGreaterThanOrEqual(38.3);
  });

  it('stemi: the monitor raises the STEMI flag', () => {
    const rhythms = new Set(received('stemi').vitals.map((v) => v.rhythm));
    expect(rhythms.has('STEMI')).toBe(true);
  });

  it('hemorrhagic shock: SBP falls below 90 and the shock index exceeds 1', () => {
    const r = received('hemorrhagic-shock');
    const last = series(r, 'nibp', 'SBP').at(-1)!;
    const hrThen = series(r, 'monitor', 'HR').filter((p) => Math.abs(p.minute - last.minute) < 0.5).map((p) => p.value);
    expect(last.value).toBeLessThan(90);
    expect(mean(hrThen) / last.value).toBeGreaterThan(1);
  });

  it('stroke: severe hypertension, atrial fibrillation, glucose normal', () => {
    const r = received('stroke');
    for (const p of series(r, 'nibp', 'SBP')) expect(p.value).toBeGreaterThanOrEqual(170);
    for (const g of series(r, 'glucose', 'GLUCOSE')) expect(g.value).toBeLessThan(180);
    expect(new Set(r.vitals.map((v) => v.rhythm).filter(Boolean))).toEqual(new Set(['AF']));
  });

  it('pediatric respiratory distress: a child breathing far faster than normal for age, saturation falling', () => {
    const r = received('pediatric-respiratory-distress');
    expect(r.scenario.profile.ageYears).toBeLessThan(12);
    // Upper normal RR at 4 years is about 30 /min.
    for (const p of series(r, 'monitor', 'RR')) expect(p.value).toBeGreaterThan(35);
    const spo2 = series(r, 'spo2', 'SPO2');
    expect(meanBetween(spo2, 25, 30)).toBeLessThan(meanBetween(spo2, 0, 5));
  });

  it('hypothermia: every temperature below 35 Cel, bradycardia', () => {
    const r = received('hypothermia');
    for (const t of series(r, 'thermo', 'TEMP')) expect(t.value).toBeLessThan(35);
    expect(mean(series(r, 'monitor', 'HR').map((p) => p.value))).toBeLessThan(60);
  });

  it('opioid overdose: RR below 8 throughout, SpO2 falling, EtCO2 high', () => {
    const r = received('opioid-overdose');
    for (const p of series(r, 'monitor', 'RR')) expect(p.value).toBeLessThan(8);
    const spo2 = series(r, 'spo2', 'SPO2');
    expect(meanBetween(spo2, 25, 30)).toBeLessThan(meanBetween(spo2, 0, 5) - 5);
    expect(mean(series(r, 'monitor', 'ETCO2').map((p) => p.value))).toBeGreaterThan(50);
  });
});

describe('playbackPlan', () => {
  it('plays a 30-minute scenario in 60 s, keeping the order', () => {
    const scenario = buildScenario('normal', { durationSeconds: 1800 });
    const plan = playbackPlan(scenario.events, { durationSeconds: 1800, playSeconds: 60 });
    expect(plan).toHaveLength(scenario.events.length);
    expect(plan.at(-1)!.sendAfterMs).toBeLessThanOrEqual(60_100);
    plan.forEach((p, i) => {
      expect(p.sendAfterMs).toBe(Math.round(scenario.events[i]!.atMs / 30));
      if (i > 0) expect(p.sendAfterMs).toBeGreaterThanOrEqual(plan[i - 1]!.sendAfterMs);
    });
  });

  it('gives the appliance a compressed scenario as recent past, stored at the device times', () => {
    const now = Date.UTC(2025, 5, 1, 9, 0, 0);
    const scenario = buildScenario('sepsis', { durationSeconds: 1800, startAt: now - 1_800_000 });
    const sendAfter = new Map(playbackPlan(scenario.events, { durationSeconds: 1800, playSeconds: 60 }).map((p) => [p.event, p.sendAfterMs]));
    const r = receive(scenario, (event) => now + sendAfter.get(event)!);
    expect(r.vitals.every((v) => v.observedAt === v.deviceTs)).toBe(true);
  });
});

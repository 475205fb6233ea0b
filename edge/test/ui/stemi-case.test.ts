import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { hashSecret } from '../../src/keys/index.js';
import { buildScenario, playScenario, type DeviceCredentials } from '../../src/simulate/index.js';
import { startTestAppliance, type TestAppliance } from '../support/appliance.js';
import { useTempDirs } from '../support/temp.js';
import { launchChromium, recordErrors, recordRequests, screenshot, seriousViolations, smallTouchTargets, TABLET } from './browser.js';
import { auditRows } from './tablet-support.js';

const tempDir = useTempDirs();
let running: TestAppliance | undefined;
let browser: Browser | undefined;
afterEach(async () => {
  await browser?.close();
  await running?.appliance.inference.close();
  await running?.stop();
  browser = undefined;
  running = undefined;
});

const SCENARIO_SECONDS = 900;
/** 15 minutes of device data in 10 s of wall time, while the crew works the case on the tablet. */
const PLAY_SECONDS = 10;

/** Every screen is checked the same way: no serious or critical axe violation, glove-sized controls, and a screenshot to look at. */
async function checkScreen(page: Page, name: string): Promise<void> {
  expect(await smallTouchTargets(page), `controls under 48 px on ${name}`).toEqual([]);
  const violations = await seriousViolations(page);
  // The confirmation toast is checked by axe above; the screenshot shows the screen under it.
  await page.evaluate(() => {
    document.querySelectorAll('.toast').forEach((t) => t.remove());
    document.getElementById('main')?.scrollTo(0, 0);
  });
  await screenshot(page, name);
  expect(violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`), `axe on ${name}`).toEqual([]);
}

async function tab(page: Page, id: string): Promise<void> {
  await page.click(`[data-tab="${id}"]`);
  await page.waitForSelector(`[data-tab="${id}"][aria-current="page"]`);
}

/** Types into a field and commits it the way a person does: by leaving the field. */
async function fillField(page: Page, selector: string, value: string): Promise<void> {
  await page.fill(selector, value);
  await Promise.all([page.waitForResponse((r) => r.request().method() !== 'GET' && r.url().includes('/api/v1/cases/')), page.press(selector, 'Tab')]);
}

/** The tablet's 24-hour clock time (same machine, same time zone as the browser). */
function clockTime(at: number): string {
  const d = new Date(at);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

async function photoJpeg(): Promise<Buffer> {
  const width = 640;
  const height = 480;
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < width * height; i++) pixels.set([(i % width) % 256, Math.floor(i / width) % 256, 120], i * 3);
  return sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg().toBuffer();
}

describe('the tablet through a whole STEMI case', () => {
  it('takes a paramedic from PIN login to a printable handoff while the simulator feeds vitals over MQTT, with no serious accessibility violation on any screen', async () => {
    running = await startTestAppliance(tempDir());
    const t = running;
    // The model and its specialty adapters (the bundled reference package), for the triage card.
    if (!t.appliance.inference.ready) await t.appliance.inference.start();
    const store = t.appliance.store.store;
    const ada = store.crew.add({ name: 'Ada Okafor', role: 'paramedic', pinHash: await hashSecret('1357', 'crewPin'), now: Date.now() });
    store.crew.add({ name: 'Sam Reyes', role: 'technician', pinHash: await hashSecret('2468', 'crewPin'), now: Date.now() });
    const scenario = buildScenario('stemi', { durationSeconds: SCENARIO_SECONDS, seed: 7, startAt: Date.now() - SCENARIO_SECONDS * 1000 });
    const devices = new Map<string, DeviceCredentials>();
    for (const d of scenario.devices) devices.set(d.idSuffix, await t.addDevice(`amb7-${d.idSuffix}`, d.kind));

    browser = await launchChromium();
    const context = await browser.newContext({ viewport: TABLET, deviceScaleFactor: 1 });
    await context.grantPermissions(['microphone'], { origin: t.httpUrl });
    const page = await context.newPage();
    const requests = recordRequests(page);
    const errors = recordErrors(page);

    // Login with a personal PIN on the glove-sized keypad.
    await page.goto(t.httpUrl);
    await page.waitForSelector('[data-crew="Ada Okafor"]');
    await checkScreen(page, '01-login');
    await page.click('[data-crew="Ada Okafor"]');
    for (const digit of '1357') await page.click(`[aria-label="digit ${digit}"]`);
    await page.click('text=Unlock');

    // A new case, patient unknown at first.
    await page.waitForSelector('[data-action="new-case"]');
    await checkScreen(page, '02-cases');
    await page.fill('#incident', '2025-004127');
    await page.click('[data-action="new-case"]');
    await page.waitForSelector('[data-tab="patient"][aria-current="page"]');
    await page.waitForSelector('text=Unknown patient');
    const caseId = /#\/case\/([0-9a-f-]{36})\//.exec(page.url())![1]!;

    // Timeline: one tap per step, each stamped.
    await tab(page, 'timeline');
    for (const status of ['en_route', 'on_scene', 'patient_contact']) {
      await page.click(`[data-status="${status}"]`);
      await page.waitForSelector(`[data-status="${status}"].btn--selected`);
    }
    await page.fill('#note', 'Found seated, pale and sweaty; pain started at rest 40 min ago.');
    await page.click('[data-action="add-note"]');
    await page.waitForSelector('[data-list="notes"] >> text=pale and sweaty');
    await checkScreen(page, '03-timeline');

    // The devices start sending: the simulator plays the STEMI scenario over MQTT, compressed.
    const playback = playScenario(scenario, { mqttUrl: t.mqttUrl, devices, playSeconds: PLAY_SECONDS });

    // Patient details, typed as the story comes out.
    await tab(page, 'patient');
    await fillField(page, '#age', '62');
    await fillField(page, '#weight', '88');
    await page.click('[data-sex="male"]');
    await page.waitForSelector('[data-sex="male"][aria-pressed="true"]');
    await page.click('button:has-text("Chest pain")');
    await page.waitForSelector('button:has-text("Chest pain")[aria-pressed="true"]');
    for (const [list, item] of [['allergy', 'Penicillin'], ['homemed', 'Atorvastatin'], ['homemed', 'Sildenafil']] as const) {
      await page.fill(`#${list}-new`, item);
      await page.click(`[data-add="${list}"]`);
      await page.waitForSelector(`[data-list="${list}"] >> text=${item}`);
    }
    await checkScreen(page, '04-patient');

    // Live vitals arrive as the devices send them: numbers, rhythm, the ECG strip, the STEMI alert.
    await tab(page, 'vitals');
    await page.waitForSelector('[data-banner="alert"] >> text=STEMI', { timeout: 20_000 });
    await page.waitForFunction(() => /\d/.test(document.querySelector('[data-vital="HR"] .value')?.textContent ?? ''));
    await page.waitForSelector('[data-vital="rhythm"] >> text=STEMI');
    await page.waitForSelector('.ecg-label >> text=STEMI');

    // Triage card: NEWS2 with its parts, acuity from rules (and model when loaded), adapters, reasons.
    await tab(page, 'triage');
    await page.waitForSelector('[data-panel="news2"]');
    await page.click('[data-acvpu="A"]');
    await page.waitForSelector('[data-acvpu="A"][aria-pressed="true"]');
    await page.click('button:has-text("On air")');
    await page.waitForSelector('button:has-text("On air")[aria-pressed="true"]');
    await page.waitForSelector('[data-parameter="heartRate"] >> text=/\\d+ \\/min/');
    // Chest pain suspicious for ACS is the ESI handbook's high-risk situation: ESI 2.
    await page.click('[data-finding="high-risk"]');
    await page.waitForSelector('[data-panel="acuity"] [data-esi="2"]');
    await page.waitForSelector('[data-model="available"]');
    await page.click('[data-specialty="cardiology"]');
    await page.waitForSelector('[data-adapter-in-use="cardiology"]');
    expect(await page.locator('.condition').count()).toBeGreaterThan(0);
    // The header shows the acuity dispatch sees: the stored (merged) one, which the model may have raised above the rules.
    await t.appliance.assessor.settled();
    const chip = async (): Promise<string> => ((await page.textContent('[data-chip="scores"] b')) ?? '').replace(' · AI', '');
    for (const deadline = Date.now() + 20_000; (await chip()) !== `ESI ${store.cases.summary(caseId).acuity}` && Date.now() < deadline; ) await page.waitForTimeout(200);
    expect(await chip()).toBe(`ESI ${store.cases.summary(caseId).acuity}`);
    await checkScreen(page, '06-triage');

    // Treatment: aspirin passes the checks; nitroglycerin with sildenafil at home needs an override.
    await tab(page, 'treat');
    await page.click('[data-med="aspirin"]');
    await page.fill('#dose', '300');
    await page.waitForSelector('[data-action="record"]:not([disabled])');
    await page.click('[data-action="record"]');
    await page.waitForSelector('[data-list="given"] >> text=Aspirin 300 mg PO');
    await page.click('[data-med="nitroglycerin"]');
    await page.fill('#dose', '0.4');
    await page.waitForSelector('[data-warning="interaction"]');
    await page.waitForSelector('[data-action="override"][disabled]');
    await page.fill('#override-reason', 'Patient last took sildenafil 5 days ago; medical control agreed');
    await checkScreen(page, '07-nitro-override');
    await page.click('[data-action="override"]:not([disabled])');
    await page.waitForSelector('[data-list="given"] >> text=Override: Patient last took sildenafil');
    await page.click('[data-show="interventions"]');
    await page.click('[data-intervention="ecg-12-lead"]');
    await page.waitForSelector('[data-list="given"] >> text=12-lead ECG');
    await page.click('[data-intervention="stemi-prealert"]');
    await page.waitForSelector('[data-list="given"] >> text=STEMI pre-alert');
    await checkScreen(page, '08-treat');

    // Capture: a photo from the camera input and a voice note from the (fake) microphone, as WAV.
    await tab(page, 'capture');
    await page.setInputFiles('#photo', { name: 'ecg-printout.jpg', mimeType: 'image/jpeg', buffer: await photoJpeg() });
    await page.waitForSelector('[data-media="image"] img');
    await page.click('[data-action="record-voice"]');
    await page.waitForSelector('text=Recording…');
    await page.waitForTimeout(1500);
    await page.click('[data-action="record-voice"]');
    await page.waitForSelector('[data-media="audio"] audio', { timeout: 15_000 });
    await checkScreen(page, '09-capture');

    expect(await playback).toMatchObject({ published: scenario.events.length, rejected: 0 });

    // The whole quarter of an hour is in: current values, trends, devices; then the alert is acknowledged.
    await tab(page, 'vitals');
    await page.waitForFunction(() => /\d/.test(document.querySelector('[data-vital="SBP-DBP"] .value')?.textContent ?? ''));
    await page.waitForTimeout(1200); // one chart redraw
    await checkScreen(page, '05-vitals-alert');
    await page.click('[data-banner="alert"] >> text=Acknowledge');
    await page.waitForFunction(() => !document.querySelector('[data-banner="alert"]')?.textContent?.includes('STEMI'));
    expect(store.alerts.forCase(caseId).find((a) => a.kind === 'rhythm-flag')?.acknowledgedBy).not.toBeNull();

    // Transport: the crew tells dispatch when they expect to arrive, and can take it back.
    await tab(page, 'timeline');
    expect(await page.isHidden('[data-panel="eta"]')).toBe(true);
    await page.click('[data-status="transporting"]');
    await page.waitForSelector('[data-status="transporting"].btn--selected');
    await page.waitForSelector('[data-panel="eta"] [data-eta="none"]');
    const beforeTap = Date.now();
    await page.click('[data-eta-minutes="15"]');
    await page.waitForSelector('[data-panel="eta"] [data-eta="set"]');
    const afterTap = Date.now();
    const { etaAt } = store.cases.get(caseId);
    expect(etaAt).toBeGreaterThanOrEqual(beforeTap + 15 * 60_000);
    expect(etaAt).toBeLessThanOrEqual(afterTap + 15 * 60_000);
    expect(await page.textContent('[data-eta="set"]')).toMatch(new RegExp(`^ETA ${clockTime(etaAt!)} · in 1[45] min$`));
    expect(auditRows(t, 'case.eta')).toEqual([{ actor: `crew:${ada.id}`, resource: `case/${caseId}`, reason: null }]);
    await checkScreen(page, '15-timeline-eta');
    await page.click('[data-action="theme"]');
    await page.waitForSelector('[data-action="theme"][aria-pressed="true"]');
    await checkScreen(page, '16-timeline-eta-night');
    await page.click('[data-action="theme"]');
    await page.waitForSelector('[data-action="theme"][aria-pressed="false"]');
    await page.click('[data-action="clear-eta"]');
    await page.waitForSelector('[data-panel="eta"] [data-eta="none"]');
    expect(store.cases.get(caseId).etaAt).toBeNull();
    await page.click('[data-eta-minutes="15"]');
    await page.waitForSelector('[data-panel="eta"] [data-eta="set"]');
    expect(auditRows(t, 'case.eta')).toHaveLength(3);

    // Arrival: the ETA has served its purpose and leaves the screen.
    for (const status of ['at_destination', 'handoff']) {
      await page.click(`[data-status="${status}"]`);
      await page.waitForSelector(`[data-status="${status}"].btn--selected`);
    }
    expect(await page.isHidden('[data-panel="eta"]')).toBe(true);

    // Handoff: MIST and SBAR from the case, printable, with its way to dispatch.
    await tab(page, 'handoff');
    await page.waitForSelector('[data-panel="mist"]');
    const mist = await page.textContent('[data-panel="mist"]');
    for (const expected of ['Chest pain', 'Monitor reports STEMI', 'Aspirin 300 mg PO', 'Nitroglycerin (glyceryl trinitrate) 0.4 mg SL', 'medical control agreed', '12-lead ECG', 'HR']) {
      expect(mist).toContain(expected);
    }
    expect(await page.textContent('[data-panel="sbar"]')).toContain('Penicillin');
    expect(await page.getAttribute('[data-sync]', 'data-sync')).toBe('queued');
    await checkScreen(page, '10-handoff');
    await page.emulateMedia({ media: 'print' });
    await screenshot(page, '11-handoff-print');
    expect(await page.isVisible('nav')).toBe(false);
    await page.emulateMedia({ media: 'screen' });

    // Night mode: dark, red-shifted, and still passing the contrast checks.
    await page.click('[data-action="theme"]');
    await checkScreen(page, '12-handoff-night');
    await tab(page, 'vitals');
    await page.waitForTimeout(1200);
    await checkScreen(page, '13-vitals-night');
    await tab(page, 'triage');
    await page.waitForSelector('[data-panel="news2"]');
    await checkScreen(page, '14-triage-night');

    // What the appliance recorded, and that nothing was fetched from anywhere else.
    const medications = store.care.medications(caseId);
    expect(medications.map((m) => [m.medication, m.overrideReason])).toEqual([
      ['Aspirin', null],
      ['Nitroglycerin (glyceryl trinitrate)', 'Patient last took sildenafil 5 days ago; medical control agreed'],
    ]);
    expect(store.cases.get(caseId).timeline.map((e) => e.status)).toEqual(['dispatched', 'en_route', 'on_scene', 'patient_contact', 'transporting', 'at_destination', 'handoff']);
    expect(store.content.media(caseId).map((m) => m.kind).sort()).toEqual(['audio', 'image']);
    const origin = new URL(t.httpUrl).origin;
    expect(requests.filter((url) => !url.startsWith(origin) && !url.startsWith('blob:') && !url.startsWith('data:'))).toEqual([]);
    expect(errors).toEqual([]);
  }, 120_000);
});

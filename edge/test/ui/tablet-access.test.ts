import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret } from '../../src/keys/index.js';
import type { CrewRole } from '../../src/store/index.js';
import { startTestAppliance, type TestAppliance } from '../support/appliance.js';
import { useTempDirs } from '../support/temp.js';
import { launchChromium, recordErrors, screenshot, seriousViolations, smallTouchTargets, TABLET } from './browser.js';
import { auditRows } from './tablet-support.js';

const tempDir = useTempDirs();
let browser: Browser;
let running: TestAppliance | undefined;
let context: BrowserContext | undefined;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser.close();
});
afterEach(async () => {
  await context?.close();
  await running?.stop();
  context = undefined;
  running = undefined;
});

const PIN = '5173';

async function setUp(crew: Array<[string, CrewRole]>, init?: string): Promise<{ t: TestAppliance; page: Page; ids: Map<string, string>; errors: string[] }> {
  running = await startTestAppliance(tempDir());
  const ids = new Map<string, string>();
  for (const [name, role] of crew) ids.set(name, running.appliance.store.store.crew.add({ name, role, pinHash: await hashSecret(PIN, 'crewPin'), now: Date.now() }).id);
  context = await browser.newContext({ viewport: TABLET });
  if (init) await context.addInitScript(init);
  const page = await context.newPage();
  const errors = recordErrors(page);
  await page.goto(running.httpUrl);
  return { t: running, page, ids, errors };
}

/** Logs in on the keypad; resolves with the session token the appliance issued. */
async function logIn(page: Page, name: string): Promise<string> {
  await page.click(`[data-crew="${name}"]`);
  for (const digit of PIN) await page.click(`[aria-label="digit ${digit}"]`);
  const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/v1/sessions') && r.request().method() === 'POST'), page.click('text=Unlock')]);
  return ((await response.json()) as { token: string }).token;
}

async function expectAccessible(page: Page, name: string): Promise<void> {
  expect(await smallTouchTargets(page), `controls under 48 px on ${name}`).toEqual([]);
  await screenshot(page, name);
  const violations = await seriousViolations(page);
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`), `axe on ${name}`).toEqual([]);
}

describe('the tablet, by role and situation', () => {
  it('shows a technician the devices and never a patient', async () => {
    const { t, page, errors } = await setUp([['Sam Reyes', 'technician']]);
    await t.addDevice('amb7-monitor');
    const { id } = t.appliance.store.store.cases.create({ actor: 'test', now: Date.now() });
    await logIn(page, 'Sam Reyes');
    await page.waitForSelector('text=Technician access: devices and appliance status only');
    await page.waitForSelector('td >> text=amb7-monitor');
    await expectAccessible(page, '20-technician-devices');
    await page.evaluate((caseId) => (location.hash = `#/case/${caseId}/vitals`), id);
    await page.waitForSelector('text=Your role does not give access to patient information.');
    expect(auditRows(t, 'chart.read')).toEqual([]);
    expect(errors.filter((e) => !e.includes('403'))).toEqual([]);
  });

  it('opens a case outside the paramedic\'s care only with a stated reason, audited, under a break-glass banner, read-only', async () => {
    const { t, page, ids } = await setUp([['Ada Okafor', 'paramedic'], ['Ben Ito', 'paramedic']]);
    const store = t.appliance.store.store;
    const earlier = store.cases.create({ incidentNumber: '2025-003001', actor: ids.get('Ada Okafor')!, now: Date.now() - 3_600_000 });
    store.cases.create({ incidentNumber: '2025-003002', actor: ids.get('Ada Okafor')!, now: Date.now() });
    await logIn(page, 'Ben Ito');
    await page.click(`[data-case="${earlier.id}"]`);
    await page.waitForSelector('dialog >> text=Open a case outside your care?');
    await page.fill('#glass-reason', 'too short');
    await page.click('[data-action="break-glass"]');
    await page.waitForSelector('dialog >> text=Say why, in at least 10 characters.');
    await page.click('dialog >> text=Patient re-presenting: continuity of care');
    await expectAccessible(page, '21-break-glass-reason');
    await page.click('[data-action="break-glass"]');
    await page.waitForSelector('[data-banner="break-glass"] >> text=BREAK-GLASS ACCESS');
    await page.click('[data-tab="timeline"]');
    await page.waitForSelector('[data-status="en_route"][disabled]');
    await expectAccessible(page, '22-break-glass-banner');
    expect(auditRows(t, 'break-glass')).toEqual([{ actor: `crew:${ids.get('Ben Ito')}`, resource: `case/${earlier.id}`, reason: 'Patient re-presenting: continuity of care' }]);
  });

  it('locks the screen after inactivity, ends the session at the appliance, and returns to the same screen after the PIN', async () => {
    const { t, page } = await setUp([['Ada Okafor', 'paramedic']], 'window.HEMA3N_LOCK_AFTER_MS = 1500;');
    const token = await logIn(page, 'Ada Okafor');
    await page.click('[data-action="new-case"]');
    await page.waitForSelector('[data-tab="patient"][aria-current="page"]');
    const caseUrl = page.url();
    await page.waitForSelector('text=Locked after inactivity', { timeout: 10_000 });
    expect(await page.isVisible('[data-tab]')).toBe(false);
    await expect.poll(async () => (await fetch(`${t.httpUrl}/api/v1/cases`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    await expectAccessible(page, '23-locked');
    await logIn(page, 'Ada Okafor');
    await page.waitForSelector('[data-tab="patient"][aria-current="page"]');
    expect(page.url()).toBe(caseUrl);
  });

  it('reopens from the service worker\'s cache while the appliance is out of reach, and says so', async () => {
    const { page, errors } = await setUp([['Ada Okafor', 'paramedic']]);
    await page.waitForSelector('[data-crew="Ada Okafor"]');
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 10_000 });
    await context!.setOffline(true);
    await page.reload();
    await page.waitForSelector('text=The appliance cannot be reached. Retrying…');
    expect(await page.textContent('h1')).toBe('Who is signing in?');
    await expectAccessible(page, '24-offline-reload');
    await context!.setOffline(false);
    await page.waitForSelector('[data-crew="Ada Okafor"]', { timeout: 10_000 });
    expect(errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to fetch|net::/.test(e))).toEqual([]);
  });
});

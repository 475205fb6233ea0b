import { createHash } from 'node:crypto';
import type { Binary, BundleEntry, Media } from '@medplum/fhirtypes';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { frameMediaChunk, mediaResourceIds, type MediaChunkDescriptor } from '../../src/media/index.js';
import type { CaseSummary } from '../../src/dispatch/index.js';
import {
  caseBundle,
  caseIds,
  errorCode,
  EventStreamReader,
  getFhir,
  newAppliance,
  pair,
  postEnvelope,
  seal,
  sealAlert,
  sealCase,
  startTestCloud,
  tempStateDir,
  type ServerEvent,
  type TestAppliance,
  type TestCloud,
} from './helpers.js';

let state: ReturnType<typeof tempStateDir>;
let cloud: TestCloud;
let appliance: TestAppliance;
let stream: EventStreamReader | undefined;
let sequence = 0;
const nextSequence = (): number => ++sequence;

beforeAll(async () => {
  state = tempStateDir();
  cloud = await startTestCloud(state.dir);
  appliance = await newAppliance('amb-0007');
  await pair(cloud, appliance);
});

afterEach(async () => {
  await stream?.close();
  stream = undefined;
});

afterAll(async () => {
  await cloud?.service.stop();
  state?.remove();
});

const caseUpdate = (caseId: string) => (event: ServerEvent) => event.event === 'case' && (event.data as { case: CaseSummary }).case.caseId === caseId;
const summaryOf = (event: ServerEvent): CaseSummary => (event.data as { case: CaseSummary }).case;

async function openBoard(): Promise<{ cases: CaseSummary[] }> {
  stream = await EventStreamReader.open(`${cloud.url}/dispatch/events`);
  return (await stream.next((event) => event.event === 'snapshot')).data as { cases: CaseSummary[] };
}

describe('the dispatch page', () => {
  it('is one self-contained HTML page that loads nothing from another origin', async () => {
    const response = await fetch(`${cloud.url}/dispatch`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    const foreign = [...html.matchAll(/https?:\/\/[^\s"'<>)]+/g)].map((m) => m[0]).filter((url) => !url.startsWith(cloud.url));
    expect(foreign).toEqual([]);
    expect(html).not.toMatch(/<(link|iframe|object|embed)\b/i);
    expect(html).toContain("new EventSource('/dispatch/events')");
  });

  it('is served with a content security policy that allows only its own script, style and origin', async () => {
    const policy = (await fetch(`${cloud.url}/dispatch`)).headers.get('content-security-policy') ?? '';
    expect(policy).toContain("default-src 'none'");
    expect(policy).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(policy).toContain("connect-src 'self'");
  });
});

describe('the live event stream', () => {
  it('shows an alert on the board as soon as it is accepted', async () => {
    const board = await openBoard();
    expect(board.cases.some((c) => c.caseId === 'case-alert')).toBe(false);
    const eta = Date.UTC(2025, 5, 1, 15, 0);
    const vitals = [{ code: '8867-4', value: 128, unit: '/min', observedAt: Date.UTC(2025, 5, 1, 14, 28) }];
    const response = await postEnvelope(cloud.url, await sealAlert(cloud, appliance, nextSequence(), { caseId: 'case-alert', acuity: 1, latestVitals: vitals, eta }));
    expect(response.status).toBe(200);
    const summary = summaryOf(await stream!.next(caseUpdate('case-alert')));
    expect(summary).toMatchObject({ applianceId: 'amb-0007', caseId: 'case-alert', acuity: 1, eta, vitals: [{ code: '8867-4', label: 'HR', value: 128, unit: '/min', trend: null }] });
  });

  it('sends the current board first to a newcomer', async () => {
    const board = await openBoard();
    expect(board.cases).toContainEqual(expect.objectContaining({ caseId: 'case-alert', acuity: 1 }));
  });

  it('derives vitals with a trend, the ESI level and the AI assessment from a case bundle', async () => {
    const caseId = 'case-bundle';
    await postEnvelope(
      cloud.url,
      await sealAlert(cloud, appliance, nextSequence(), { caseId, acuity: 3, latestVitals: [{ code: '8867-4', value: 96, unit: '/min', observedAt: Date.UTC(2025, 5, 1, 14, 20) }], eta: null }),
    );
    await openBoard();
    const ids = caseIds(60);
    const subject = { reference: `Patient/${ids.patient}` };
    const extra: BundleEntry[] = [
      {
        resource: { resourceType: 'Observation', status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '75636-1' }] }, subject, valueInteger: 2 },
        request: { method: 'POST', url: 'Observation' },
      },
      {
        resource: {
          resourceType: 'RiskAssessment',
          status: 'final',
          subject,
          occurrenceDateTime: '2025-06-01T14:29:30.000Z',
          prediction: [
            { outcome: { text: 'Sepsis' }, probabilityDecimal: 0.72 },
            { outcome: { text: 'Pneumonia' }, probabilityDecimal: 0.18 },
          ],
        },
        request: { method: 'POST', url: 'RiskAssessment' },
      },
    ];
    const response = await postEnvelope(cloud.url, await sealCase(cloud, appliance, nextSequence(), caseId, caseBundle(ids, { heartRate: 121, extra })));
    expect(response.status).toBe(200);
    const summary = summaryOf(await stream!.next(caseUpdate(caseId)));
    expect(summary.acuity).toBe(2);
    expect(summary.assessment).toEqual({ condition: 'Sepsis', confidence: 0.72 });
    expect(summary.vitals).toEqual([
      expect.objectContaining({ label: 'HR', value: 121, trend: 'rising' }),
      expect.objectContaining({ label: 'SpO2', value: 93, trend: null }),
    ]);
  });
});

describe('photos sent as media chunks', () => {
  const photo = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 31) % 256));
  const descriptor = (index: number): MediaChunkDescriptor => ({
    mediaId: 'photo-1',
    caseId: 'case-alert',
    index,
    chunkCount: 3,
    totalBytes: photo.length,
    sha256: createHash('sha256').update(photo).digest('hex'),
    contentType: 'image/jpeg',
    takenAt: Date.UTC(2025, 5, 1, 14, 27),
  });
  const pieces = [photo.subarray(0, 2000), photo.subarray(2000, 4000), photo.subarray(4000)];
  const sealChunk = (index: number) =>
    seal(cloud, appliance, { kind: 'media-chunk', sequence: nextSequence(), contentType: 'image/jpeg', payload: frameMediaChunk(descriptor(index), pieces[index]!) });

  it('are joined in any order, stored as Binary and Media, and shown on the board', async () => {
    await openBoard();
    for (const index of [2, 0]) expect((await postEnvelope(cloud.url, await sealChunk(index))).status).toBe(200);
    expect((await postEnvelope(cloud.url, await sealChunk(0))).status).toBe(200);
    expect((await postEnvelope(cloud.url, await sealChunk(1))).status).toBe(200);
    const { binaryId, mediaResourceId } = mediaResourceIds('amb-0007', 'photo-1');
    const summary = summaryOf(await stream!.next((event) => caseUpdate('case-alert')(event) && summaryOf(event).photos.length > 0));
    expect(summary.photos).toEqual([{ binaryId, contentType: 'image/jpeg' }]);
    const binary = await getFhir<Binary>(cloud.url, `Binary/${binaryId}`);
    expect(Buffer.from(binary.body.data!, 'base64').equals(photo)).toBe(true);
    const media = await getFhir<Media>(cloud.url, `Media/${mediaResourceId}`);
    expect(media.body.content).toMatchObject({ contentType: 'image/jpeg', url: `Binary/${binaryId}`, size: photo.length });
    const thumbnail = await fetch(`${cloud.url}/dispatch/photos/${binaryId}`);
    expect(thumbnail.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await thumbnail.arrayBuffer()).equals(photo)).toBe(true);
  });

  it('refuses a chunk sent again with different bytes as MEDIA_CHUNK_INVALID', async () => {
    const changed = { ...descriptor(0), mediaId: 'photo-2' };
    const first = frameMediaChunk(changed, pieces[0]!);
    const second = frameMediaChunk(changed, pieces[1]!);
    expect((await postEnvelope(cloud.url, await seal(cloud, appliance, { kind: 'media-chunk', sequence: nextSequence(), payload: first }))).status).toBe(200);
    const response = await postEnvelope(cloud.url, await seal(cloud, appliance, { kind: 'media-chunk', sequence: nextSequence(), payload: second }));
    expect(response.status).toBe(400);
    expect(await errorCode(response)).toBe('MEDIA_CHUNK_INVALID');
  });

  it('serves no Binary through the board that is not a photo of a case on it', async () => {
    const response = await fetch(`${cloud.url}/dispatch/photos/${caseIds(60).patient}`);
    expect(response.status).toBe(404);
  });
});

describe('stopping the service', () => {
  it('ends the open event streams instead of waiting for them', async () => {
    await openBoard();
    await cloud.service.stop();
    await expect(stream!.next(() => true)).rejects.toThrow('event stream ended');
  });
});

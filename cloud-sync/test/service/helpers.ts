import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import { generateSigningKeyPair, sealEnvelope, type AlertPayload, type PayloadKind, type SigningKeyPair } from '@hema3n/cloud-sync/wire';
import { loadCloudConfig } from '../../src/config.js';
import { startCloud, type CloudService } from '../../src/main.js';

export const REPO_ROOT = resolve(import.meta.dirname, '../../..');
const BIN = join(REPO_ROOT, 'cloud-sync/bin/hema3n-cloud.js');

export function tempStateDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'hema3n-cloud-test-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The real CLI, as an operator runs it: `node cloud-sync/bin/hema3n-cloud.js ...`. */
export function runCli(args: readonly string[], env: Record<string, string>): Promise<CliRun> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}

export interface TestCloud {
  service: CloudService;
  url: string;
  stateDir: string;
  env: Record<string, string>;
}

/** A real service on an ephemeral port over a state directory, configured the way `start` is. */
export async function startTestCloud(stateDir: string, extraEnv: Record<string, string> = {}): Promise<TestCloud> {
  const env = { HEMA3N_CLOUD_STATE_DIR: stateDir, HEMA3N_CLOUD_PORT: '0', HEMA3N_CLOUD_LOG_LEVEL: 'silent', ...extraEnv };
  const service = await startCloud(loadCloudConfig({ env, cwd: REPO_ROOT }));
  return { service, url: `http://127.0.0.1:${service.port}`, stateDir, env };
}

export interface TestAppliance {
  applianceId: string;
  keys: SigningKeyPair;
}

export async function newAppliance(applianceId: string): Promise<TestAppliance> {
  return { applianceId, keys: await generateSigningKeyPair() };
}

/** Pairs the appliance through the CLI, as a technician would. */
export async function pair(cloud: TestCloud, appliance: TestAppliance): Promise<void> {
  const run = await runCli(['appliances', 'add', appliance.applianceId, '--sign-key', appliance.keys.publicKey, '--json'], cloud.env);
  if (run.code !== 0) throw new Error(`pairing failed: ${run.stderr}`);
}

export interface SealOptions {
  kind: PayloadKind;
  sequence: number;
  payload: Uint8Array;
  recipientBoxPublicKey?: string;
  contentType?: string;
}

export function seal(cloud: TestCloud, appliance: TestAppliance, options: SealOptions): Promise<Uint8Array> {
  return sealEnvelope({
    payload: options.payload,
    kind: options.kind,
    applianceId: appliance.applianceId,
    sequence: options.sequence,
    createdAt: Date.UTC(2025, 5, 1, 14, 30) + options.sequence,
    signSecretKey: appliance.keys.secretKey,
    recipientBoxPublicKey: options.recipientBoxPublicKey ?? cloud.service.identity.boxPublicKey,
    ...(options.contentType ? { contentType: options.contentType } : {}),
  });
}

export const json = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));

export function sealCase(cloud: TestCloud, appliance: TestAppliance, sequence: number, caseId: string, bundle: Bundle): Promise<Uint8Array> {
  return seal(cloud, appliance, { kind: 'case-bundle', sequence, payload: json({ kind: 'case-bundle', caseId, bundle }) });
}

export function sealAlert(cloud: TestCloud, appliance: TestAppliance, sequence: number, alert: Omit<AlertPayload, 'kind'>): Promise<Uint8Array> {
  return seal(cloud, appliance, { kind: 'alert', sequence, payload: json({ kind: 'alert', ...alert }) });
}

export function postEnvelope(url: string, envelope: Uint8Array): Promise<Response> {
  return fetch(`${url}/v1/envelopes`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: Buffer.from(envelope) });
}

/** The stable code an error answer carries in its OperationOutcome. */
export async function errorCode(response: Response): Promise<string | undefined> {
  const outcome = (await response.json()) as { issue?: { details?: { coding?: { code?: string }[] } }[] };
  return outcome.issue?.[0]?.details?.coding?.[0]?.code;
}

export async function getFhir<T = Resource>(url: string, path: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`${url}/fhir/R4/${path}`);
  return { status: response.status, body: (await response.json()) as T };
}

const LOINC = 'http://loinc.org';

function put(resource: Resource & { id: string }, ifMatch?: string): BundleEntry {
  return { fullUrl: `urn:uuid:${resource.id}`, resource, request: { method: 'PUT', url: `${resource.resourceType}/${resource.id}`, ...(ifMatch ? { ifMatch } : {}) } };
}

export interface CaseIds {
  patient: string;
  encounter: string;
  heartRate: string;
  spo2: string;
}

export function caseIds(n: number): CaseIds {
  const suffix = n.toString(16).padStart(12, '0');
  return {
    patient: `0e7c2a10-0000-4000-8000-${suffix}`,
    encounter: `1e7c2a10-0000-4000-8000-${suffix}`,
    heartRate: `2e7c2a10-0000-4000-8000-${suffix}`,
    spo2: `3e7c2a10-0000-4000-8000-${suffix}`,
  };
}

export interface CaseBundleOptions {
  heartRate?: number;
  /** If-Match for the heart-rate Observation. */
  heartRateIfMatch?: string;
  extra?: BundleEntry[];
}

/** A small valid transaction: a patient, an encounter and two vital signs, PUT to deterministic ids. No PHI. */
export function caseBundle(ids: CaseIds, options: CaseBundleOptions = {}): Bundle {
  const subject = { reference: `Patient/${ids.patient}` };
  const encounter = { reference: `Encounter/${ids.encounter}` };
  const vital = (id: string, code: string, value: number, unit: string, ifMatch?: string): BundleEntry =>
    put(
      {
        resourceType: 'Observation',
        id,
        status: 'final',
        category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
        code: { coding: [{ system: LOINC, code }] },
        subject,
        encounter,
        effectiveDateTime: '2025-06-01T14:29:00.000Z',
        valueQuantity: { value, unit, system: 'http://unitsofmeasure.org', code: unit },
      },
      ifMatch,
    );
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      put({ resourceType: 'Patient', id: ids.patient, gender: 'unknown' }),
      put({ resourceType: 'Encounter', id: ids.encounter, status: 'in-progress', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'FLD' }, subject }),
      vital(ids.heartRate, '8867-4', options.heartRate ?? 112, '/min', options.heartRateIfMatch),
      vital(ids.spo2, '59408-5', 93, '%'),
      ...(options.extra ?? []),
    ],
  };
}

export interface ServerEvent {
  event: string;
  data: unknown;
}

/** The dispatch board's event stream read with fetch, as a browser's EventSource would. */
export class EventStreamReader {
  private readonly reader: ReadableStreamDefaultReader<string>;
  private buffer = '';

  private constructor(response: Response) {
    this.reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  }

  static async open(url: string): Promise<EventStreamReader> {
    const response = await fetch(url, { headers: { accept: 'text/event-stream' } });
    if (response.status !== 200) throw new Error(`event stream answered ${response.status}`);
    return new EventStreamReader(response);
  }

  /** Reads events until one satisfies `wanted`; fails if the stream ends or `timeoutMs` passes first. */
  async next(wanted: (event: ServerEvent) => boolean, timeoutMs = 10_000): Promise<ServerEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const event = this.takeBuffered();
      if (event) {
        if (wanted(event)) return event;
        continue;
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error('no matching event before the timeout');
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, fail) => (timer = setTimeout(() => fail(new Error('no matching event before the timeout')), remaining)));
      const { value, done } = await Promise.race([this.reader.read(), timeout]).finally(() => clearTimeout(timer));
      if (done) throw new Error('event stream ended');
      this.buffer += value;
    }
  }

  async close(): Promise<void> {
    await this.reader.cancel().catch(() => undefined);
  }

  private takeBuffered(): ServerEvent | undefined {
    for (;;) {
      const end = this.buffer.indexOf('\n\n');
      if (end < 0) return undefined;
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event !== undefined && data !== undefined) return { event, data: JSON.parse(data) };
    }
  }
}

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt, { type MqttClient } from 'mqtt';
import { hashSecret, newDeviceSecret } from '../../edge/src/keys/index.js';
import { databasePath, Store } from '../../edge/src/store/index.js';
import type { BenchResult } from '../run.js';
import { median, percentile } from '../stats.js';

const DEVICES = 50;
const MEASUREMENTS_PER_MESSAGE = 4;
const WINDOW = 16;
const SATURATION_MS = 8_000;
const PACED_SAMPLES_PER_SEC = 1_000;
const PACED_MS = 6_000;
const ROUNDS = 3;
const HEMA3N_BIN = fileURLToPath(new URL('../../edge/bin/hema3n.js', import.meta.url));
const BARE_BROKER = fileURLToPath(new URL('./bare-broker.ts', import.meta.url));
const NO_DATABASE_DAEMON = fileURLToPath(new URL('./no-database-daemon.ts', import.meta.url));

interface Device {
  readonly id: string;
  readonly secret: string;
}

function payload(seq: number): string {
  const ts = Date.now();
  return JSON.stringify({
    seq,
    ts,
    measurements: [
      { code: 'HR', value: 70 + (seq % 20), unit: '/min' },
      { code: 'RR', value: 14 + (seq % 6), unit: '/min' },
      { code: 'SPO2', value: 94 + (seq % 5), unit: '%' },
      { code: 'ETCO2', value: 35 + (seq % 5), unit: 'mmHg' },
    ],
  });
}

/** The devices' next sequence numbers, kept across runs: a device never repeats a seq. */
type Seqs = number[];

/** Each device keeps up to WINDOW QoS 1 messages awaiting PUBACK; returns messages acknowledged and latencies. */
async function saturate(clients: MqttClient[], devices: Device[], seqs: Seqs, durationMs: number): Promise<{ acked: number; latencies: number[] }> {
  const latencies: number[] = [];
  let acked = 0;
  const deadline = performance.now() + durationMs;
  await Promise.all(
    clients.map(
      (client, i) =>
        new Promise<void>((resolve) => {
          let inFlight = 0;
          const pump = (): void => {
            while (inFlight < WINDOW && performance.now() < deadline) {
              const sent = performance.now();
              inFlight++;
              client.publish(`hema3n/v1/devices/${devices[i]!.id}/vitals`, payload(seqs[i]!++), { qos: 1 }, () => {
                latencies.push(performance.now() - sent);
                acked++;
                inFlight--;
                if (performance.now() < deadline) pump();
                else if (inFlight === 0) resolve();
              });
            }
          };
          pump();
        }),
    ),
  );
  return { acked, latencies };
}

/** A steady offered load, spread evenly over the devices; returns publish-to-PUBACK latencies. */
async function paced(clients: MqttClient[], devices: Device[], seqs: Seqs, samplesPerSec: number, durationMs: number): Promise<number[]> {
  const messagesPerSec = samplesPerSec / MEASUREMENTS_PER_MESSAGE;
  const intervalMs = 1000 / messagesPerSec;
  const latencies: number[] = [];
  const pending: Promise<void>[] = [];
  const start = performance.now();
  for (let n = 0; n * intervalMs < durationMs; n++) {
    const wait = start + n * intervalMs - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const i = n % clients.length;
    const sent = performance.now();
    pending.push(
      new Promise((resolve) =>
        clients[i]!.publish(`hema3n/v1/devices/${devices[i]!.id}/vitals`, payload(seqs[i]!++), { qos: 1 }, () => {
          latencies.push(performance.now() - sent);
          resolve();
        }),
      ),
    );
  }
  await Promise.all(pending);
  return latencies;
}

function startProcess(args: string[], env: Record<string, string>, readyPort: (line: string) => number | undefined): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString();
      for (const line of seen.split('\n')) {
        const port = line.trim() ? readyPort(line) : undefined;
        if (port) return resolve({ child, port });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`process exited with ${code}: ${seen}`)));
  });
}

async function connectAll(port: number, devices: Device[]): Promise<MqttClient[]> {
  return Promise.all(devices.map((d) => mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { username: d.id, password: d.secret, clientId: d.id, reconnectPeriod: 0 })));
}

/** A broker under test with the fleet connected to it. */
interface Target {
  readonly child: ChildProcess;
  readonly clients: MqttClient[];
  readonly seqs: Seqs;
  readonly rates: number[];
}

async function connectTarget(started: { child: ChildProcess; port: number }, devices: Device[], rates: number[]): Promise<Target> {
  const clients = await connectAll(started.port, devices);
  const target = { child: started.child, clients, seqs: devices.map(() => 0), rates };
  await saturate(clients, devices, target.seqs, 1_000); // warm-up
  return target;
}

async function measureSaturation(target: Target, devices: Device[]): Promise<void> {
  const t0 = performance.now();
  const { acked } = await saturate(target.clients, devices, target.seqs, SATURATION_MS);
  target.rates.push((acked * MEASUREMENTS_PER_MESSAGE) / ((performance.now() - t0) / 1000));
}

async function stopTarget(target: Target | undefined): Promise<void> {
  if (!target) return;
  await Promise.all(target.clients.map((c) => c.endAsync()));
  target.child.kill('SIGTERM');
}

/** A state dir with the fleet registered and a case active, as the daemon finds it on a shift. */
async function prepareStateDir(devices: Device[], key: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'hema3n-bench-ingest-'));
  const store = Store.open({ path: databasePath(dir), key: Buffer.from(key, 'hex'), groupCommit: { maxRows: 2000, maxDelayMs: 0 } });
  for (const d of devices) store.devices.add({ id: d.id, kind: 'monitor', secretHash: await hashSecret(d.secret, 'deviceSecret'), now: Date.now() });
  store.cases.create({ actor: 'bench', now: Date.now() });
  store.close();
  return dir;
}

const bareReady = (line: string): number | undefined => (line.startsWith('{"port"') ? (JSON.parse(line) as { port: number }).port : undefined);
const daemonReady = (line: string): number | undefined => (line.includes('"appliance ready"') ? (JSON.parse(line) as { mqtt: number }).mqtt : undefined);

export async function runIngestBench(): Promise<BenchResult> {
  const key = randomBytes(32).toString('hex');
  const devices: Device[] = Array.from({ length: DEVICES }, (_, i) => ({ id: `bench-mon-${i}`, secret: newDeviceSecret() }));
  const durableDir = await prepareStateDir(devices, key);
  const ceilingDir = await prepareStateDir(devices, key);
  const env = (dir: string) => ({ HEMA3N_STATE_DIR: dir, HEMA3N_DB_KEY: key, HEMA3N_HTTP_PORT: '0', HEMA3N_MQTT_PORT: '0', HEMA3N_LOG_LEVEL: 'info' });
  const durableRates: number[] = [];
  const ceilingRates: number[] = [];
  const bareRates: number[] = [];
  let durable: Target | undefined;
  let ceiling: Target | undefined;
  let bare: Target | undefined;
  let pacedLatencies: number[] = [];
  try {
    durable = await connectTarget(await startProcess([HEMA3N_BIN, 'start'], env(durableDir), daemonReady), devices, durableRates);
    ceiling = await connectTarget(await startProcess(['--import', 'tsx', NO_DATABASE_DAEMON], env(ceilingDir), daemonReady), devices, ceilingRates);
    // Interleaved, so a disturbance on the machine hits both alike.
    for (let round = 0; round < ROUNDS; round++) {
      await measureSaturation(durable, devices);
      await measureSaturation(ceiling, devices);
    }
    pacedLatencies = await paced(durable.clients, devices, durable.seqs, PACED_SAMPLES_PER_SEC, PACED_MS);
    await stopTarget(ceiling);
    ceiling = undefined;
    await stopTarget(durable);
    durable = undefined;
    bare = await connectTarget(await startProcess(['--import', 'tsx', BARE_BROKER], {}, bareReady), devices, bareRates);
    await measureSaturation(bare, devices);
  } finally {
    await Promise.all([stopTarget(durable), stopTarget(ceiling), stopTarget(bare)]);
  }
  for (const dir of [durableDir, ceilingDir]) rmSync(dir, { recursive: true, force: true });

  const durableRate = median(durableRates);
  const ceilingRate = median(ceilingRates);
  const ratio = durableRate / ceilingRate;
  const pacedP99 = percentile(pacedLatencies, 99);
  return {
    name: 'ingest',
    figures: {
      workload: `${DEVICES} MQTT.js devices, QoS 1, ${MEASUREMENTS_PER_MESSAGE} measurements per message, up to ${WINDOW} in flight each; broker in its own process; median of ${ROUNDS} interleaved ${SATURATION_MS / 1000} s runs`,
      durableSamplesPerSec: Math.round(durableRate),
      durableMessagesPerSec: Math.round(durableRate / MEASUREMENTS_PER_MESSAGE),
      durableRuns: durableRates.map(Math.round),
      noDatabaseCeiling: 'the daemon itself (authentication, ACLs, validation, seq admission, rule scoring, live stream) acknowledging samples without writing them',
      noDatabaseCeilingSamplesPerSec: Math.round(ceilingRate),
      noDatabaseRuns: ceilingRates.map(Math.round),
      fractionOfCeiling: Number(ratio.toFixed(3)),
      bareAedesReference: 'aedes with topic and payload validation only: no authentication, no scoring, no database',
      bareAedesSamplesPerSec: Math.round(median(bareRates)),
      pacedLoad: `${PACED_SAMPLES_PER_SEC} samples/s for ${PACED_MS / 1000} s`,
      pacedPublishToPubackP50Ms: Number(percentile(pacedLatencies, 50).toFixed(2)),
      pacedPublishToPubackP99Ms: Number(pacedP99.toFixed(2)),
    },
    targets: {
      durableSamplesPerSec: { target: '>= 20000', met: durableRate >= 20_000 },
      fractionOfCeiling: { target: '>= 0.5', met: ratio >= 0.5 },
      pacedP99: { target: '<= 20 ms at 1000 samples/s', met: pacedP99 <= 20 },
    },
  };
}

import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { parseInput } from '../../api/index.js';
import { hashSecret, newDeviceSecret } from '../../keys/index.js';
import { buildScenario, playScenario, scenarioNames, type DeviceCredentials } from '../../simulate/index.js';
import type { Command } from '../command.js';
import type { CliContext } from '../context.js';
import { print } from '../output.js';

const SimulateInput = z.object({
  scenario: z.enum(scenarioNames as unknown as [string, ...string[]]),
  duration: z.coerce.number().int().min(60).max(86_400).default(1800),
  speed: z.coerce.number().min(1).max(10_000).default(1),
  seed: z.coerce.number().int().min(0).default(1),
  mqttUrl: z.url({ protocol: /^mqtts?$/ }).optional(),
});

export const simulate: Command = {
  path: 'simulate',
  summary: 'play a scenario over MQTT to the running daemon as real devices (registers its own simulated devices)',
  usage: `--scenario <${scenarioNames.join('|')}> [--duration <s>] [--speed <x>] [--seed <n>] [--mqtt-url <url>]`,
  options: { scenario: { type: 'string' }, duration: { type: 'string' }, speed: { type: 'string' }, seed: { type: 'string' }, 'mqtt-url': { type: 'string' } },
  async run(ctx, args) {
    const input = parseInput(SimulateInput, { ...args.values, mqttUrl: args.values['mqtt-url'] }, 'simulate options');
    const playSeconds = input.duration / input.speed;
    // A backlog played faster than real time carries its own past timestamps, ending now.
    const startAt = Date.now() - (input.speed > 1 ? input.duration * 1000 : 0);
    const scenario = buildScenario(input.scenario as never, { durationSeconds: input.duration, seed: input.seed, startAt });
    const devices = await registerSimulatedDevices(ctx, scenario.devices.map((d) => ({ key: d.idSuffix, kind: d.kind })));
    const mqttUrl = input.mqttUrl ?? (await daemonMqttUrl(ctx));
    const report = await playScenario(scenario, { mqttUrl, devices, playSeconds });
    const result = { scenario: input.scenario, durationSeconds: input.duration, playSeconds, devices: [...devices.values()].map((d) => d.id), ...report };
    print(ctx.io, ctx.json, result, () =>
      `${input.scenario}: ${report.published} messages from ${devices.size} devices, ${report.acknowledged} acknowledged, ${report.rejected} rejected`,
    );
    return 0;
  },
};

/** Fresh device ids per run: each run's sequence numbers start again at 0. */
async function registerSimulatedDevices(ctx: CliContext, wanted: Array<{ key: string; kind: string }>): Promise<Map<string, DeviceCredentials>> {
  const run = randomBytes(3).toString('hex');
  const devices = new Map<string, DeviceCredentials>();
  for (const { key } of wanted) devices.set(key, { id: `sim-${run}-${key}`, secret: newDeviceSecret() });
  const hashes = await Promise.all(wanted.map(({ key }) => hashSecret(devices.get(key)!.secret, 'deviceSecret')));
  await ctx.withStore((store, audit) =>
    store.transaction(() =>
      wanted.forEach(({ key, kind }, i) => {
        const id = devices.get(key)!.id;
        store.devices.add({ id, kind, secretHash: hashes[i]!, now: ctx.now() });
        audit.append({ actor: ctx.actor, action: 'device.add', resource: `device/${id}`, reason: 'simulator' });
      }),
    ),
  );
  return devices;
}

/** The configured port, or (when it is 0, ephemeral) the one the running daemon reports in /health. */
async function daemonMqttUrl(ctx: CliContext): Promise<string> {
  const { mqtt, http } = ctx.config();
  if (mqtt.port !== 0) return `mqtt://${mqtt.host}:${mqtt.port}`;
  const health = (await (await fetch(`http://${http.host}:${http.port}/health`)).json()) as { ports: { mqtt: number } };
  return `mqtt://${mqtt.host}:${health.ports.mqtt}`;
}

import { resolve } from 'node:path';
import { BUNDLED_MODEL_DIR } from '../../inference/index.js';
import { createProgress, DEFAULT_ENV_FILE, provision as runProvision, readRoster, type ProvisionReport } from '../../ops/index.js';
import { stringOption, type Command, type ParsedArgs } from '../command.js';
import type { CliContext } from '../context.js';
import { print, usage } from '../output.js';
import { DEVICE_KINDS } from './devices.js';

const DEFAULT_CERT_DAYS = 1825;
// Not --env-file: Node 20 takes --env-file from anywhere on its command line, even after the script.
const HOSTNAME = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

function keyProviderOption(args: ParsedArgs): 'file' | 'tpm2' | undefined {
  const value = stringOption(args, 'key-provider');
  if (value === undefined || value === 'file' || value === 'tpm2') return value;
  throw usage('--key-provider must be file or tpm2');
}

function hostnamesOption(args: ParsedArgs): string[] {
  const names = (stringOption(args, 'hostname') ?? '').split(',').map((h) => h.trim()).filter(Boolean);
  const bad = names.filter((h) => !HOSTNAME.test(h));
  if (bad.length > 0) throw usage(`--hostname takes DNS names separated by commas; not valid: ${bad.join(', ')}`);
  return names;
}

function certDaysOption(args: ParsedArgs): number {
  const text = stringOption(args, 'cert-days');
  const days = text === undefined ? DEFAULT_CERT_DAYS : Number(text);
  if (!Number.isInteger(days) || days < 31 || days > 7300) throw usage('--cert-days must be a whole number from 31 to 7300');
  return days;
}

function human(report: ProvisionReport, stateDir: string): string {
  const lines = [`provisioning ${stateDir}`, ...report.steps.map((s) => `  ${s.name.padEnd(17)} ${s.action.padEnd(10)} ${s.detail}`), ''];
  lines.push(`appliance id:    ${report.applianceId}`, `sign public key: ${report.signPublicKey}`, `box public key:  ${report.boxPublicKey}`);
  lines.push(`certificate:     ${report.certificate.fingerprint256} (until ${report.certificate.notAfter})`);
  const fresh = report.devices.filter((d) => d.secret);
  if (fresh.length > 0) {
    lines.push('', 'device secrets (shown once; set each as its device\'s MQTT password):');
    lines.push(...fresh.map((d) => `  ${d.id} (${d.kind}): ${d.secret}`));
  }
  lines.push(...report.warnings.map((w) => `warning: ${w}`), '');
  lines.push(report.changed ? `done; the units read ${report.envFile}` : 'nothing changed: this appliance already matches these inputs');
  lines.push(`pair with the cloud: hema3n-cloud appliances add ${report.applianceId} --sign-key ${report.signPublicKey}`);
  return lines.join('\n');
}

async function run(ctx: CliContext, args: ParsedArgs): Promise<number> {
  const config = ctx.config();
  const path = (name: string): string | undefined => {
    const value = stringOption(args, name);
    return value === undefined ? undefined : resolve(ctx.io.cwd, value);
  };
  const rosterFile = path('roster');
  const report = await runProvision({
    stateDir: config.stateDir,
    keyProvider: keyProviderOption(args),
    keyFile: path('key-file'),
    tpm2Handle: stringOption(args, 'tpm2-handle'),
    tpm2OwnerAuthFile: path('tpm2-owner-auth-file'),
    fleetKey: stringOption(args, 'fleet-key'),
    roster: rosterFile ? await readRoster(rosterFile, DEVICE_KINDS) : undefined,
    envFile: path('env-path') ?? DEFAULT_ENV_FILE,
    modelSource: path('model') ?? BUNDLED_MODEL_DIR,
    hostnames: hostnamesOption(args),
    certDays: certDaysOption(args),
    rotateIdentity: args.values['rotate-identity'] === true,
    rekey: args.values.rekey === true,
    replaceFleetKey: args.values['replace-fleet-key'] === true,
    renewCert: args.values['renew-cert'] === true,
    configuredKey: config.db,
    mode: config.mode,
    actor: ctx.actor,
    now: ctx.now,
    progress: (total) => createProgress(ctx.io.stderr as { write(text: string): unknown; isTTY?: boolean }, total, ctx.json),
  });
  print(ctx.io, ctx.json, report, () => human(report, config.stateDir));
  return 0;
}

export const provision: Command = {
  path: 'provision',
  summary: 'make this box an appliance (identity, database key, certificate, fleet key, model, roster, env file); idempotent',
  usage: '[--key-provider file|tpm2] [--fleet-key <key>] [--roster <file>] [--env-path <path>] [--rotate-identity|--rekey|--replace-fleet-key|--renew-cert]',
  options: {
    'key-provider': { type: 'string' },
    'key-file': { type: 'string' },
    'tpm2-handle': { type: 'string' },
    'tpm2-owner-auth-file': { type: 'string' },
    'fleet-key': { type: 'string' },
    roster: { type: 'string' },
    'env-path': { type: 'string' },
    model: { type: 'string' },
    hostname: { type: 'string' },
    'cert-days': { type: 'string' },
    'rotate-identity': { type: 'boolean' },
    rekey: { type: 'boolean' },
    'replace-fleet-key': { type: 'boolean' },
    'renew-cert': { type: 'boolean' },
  },
  run,
};

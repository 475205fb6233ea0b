import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { parseInput } from '../api/index.js';
import type { AuditLog } from '../audit/index.js';
import { Hema3nError } from '../errors.js';
import { hashSecret, newDeviceSecret, verifySecret } from '../keys/index.js';
import { CREW_ROLES, type Store } from '../store/index.js';
import type { StepAction } from './steps.js';

/** The roster file: `{crew: [{name, role, pin}], devices: [{id, kind}]}`; the device kinds are the CLI's. */
export function rosterSchema(deviceKinds: readonly [string, ...string[]]) {
  return z.strictObject({
    crew: z.array(z.strictObject({
      name: z.string().trim().min(1, 'is required').max(100),
      role: z.enum(CREW_ROLES),
      pin: z.string().regex(/^\d{4,12}$/, 'must be 4 to 12 digits'),
    })).default([]),
    devices: z.array(z.strictObject({
      id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be 1-64 letters, digits, dot, dash or underscore'),
      kind: z.enum(deviceKinds),
    })).default([]),
  });
}

export type Roster = z.infer<ReturnType<typeof rosterSchema>>;

export async function readRoster(path: string, deviceKinds: readonly [string, ...string[]]): Promise<Roster> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch (cause) {
    throw new Hema3nError('INPUT_INVALID', 'The roster file cannot be read as JSON', { cause, issues: [{ field: '--roster', problem: 'must name a readable JSON file' }] });
  }
  const roster = parseInput(rosterSchema(deviceKinds), value, 'roster');
  const issues = roster.devices.flatMap((d, i) => (roster.devices.findIndex((other) => other.id === d.id) < i ? [{ field: `devices.${i}.id`, problem: 'is listed twice' }] : []));
  if (issues.length > 0) throw new Hema3nError('INPUT_INVALID', 'Invalid roster: a device is listed twice', { issues });
  return roster;
}

export interface CrewOutcome {
  readonly id: string;
  readonly name: string;
  readonly role: string;
  readonly action: StepAction;
}

export interface DeviceOutcome {
  readonly id: string;
  readonly kind: string;
  readonly action: StepAction;
  /** Only for a device registered by this run: shown once, stored only as an Argon2id hash. */
  readonly secret?: string;
}

export interface RosterOutcome {
  readonly crew: CrewOutcome[];
  readonly devices: DeviceOutcome[];
  /** Entries that differ from what is registered; provisioning never changes a PIN, role or device kind. */
  readonly warnings: string[];
}

interface Context {
  readonly store: Store;
  readonly audit: AuditLog;
  readonly actor: string;
  readonly now: number;
}

/** Registers the crew and devices that are not there yet; what is there is left as it is. */
export async function applyRoster(roster: Roster, c: Context): Promise<RosterOutcome> {
  const warnings: string[] = [];
  const crew = await applyCrew(roster.crew, c, warnings);
  const devices = await applyDevices(roster.devices, c, warnings);
  return { crew, devices, warnings };
}

async function applyCrew(entries: Roster['crew'], c: Context, warnings: string[]): Promise<CrewOutcome[]> {
  const outcomes: CrewOutcome[] = [];
  for (const entry of entries) {
    const existing = c.store.crew.list().find((m) => m.name === entry.name);
    if (existing) {
      const samePin = await verifySecret(c.store.crew.pinHash(existing.id) ?? '', entry.pin);
      if (existing.role !== entry.role || !samePin) warnings.push(`crew ${existing.id}: registered with another role or PIN; left as it is`);
      outcomes.push({ id: existing.id, name: existing.name, role: existing.role, action: 'unchanged' });
      continue;
    }
    const pinHash = await hashSecret(entry.pin, 'crewPin');
    const added = c.store.transaction(() => {
      const member = c.store.crew.add({ name: entry.name, role: entry.role, pinHash, now: c.now });
      c.audit.append({ actor: c.actor, action: 'crew.add', resource: `crew/${member.id}` });
      return member;
    });
    outcomes.push({ id: added.id, name: added.name, role: added.role, action: 'created' });
  }
  return outcomes;
}

async function applyDevices(entries: Roster['devices'], c: Context, warnings: string[]): Promise<DeviceOutcome[]> {
  const outcomes: DeviceOutcome[] = [];
  for (const entry of entries) {
    const existing = c.store.devices.get(entry.id);
    if (existing) {
      if (existing.kind !== entry.kind) warnings.push(`device ${entry.id}: registered as ${existing.kind}; left as it is`);
      if (existing.revokedAt !== null) warnings.push(`device ${entry.id}: revoked; provisioning does not bring it back`);
      outcomes.push({ id: existing.id, kind: existing.kind, action: 'unchanged' });
      continue;
    }
    const secret = newDeviceSecret();
    const secretHash = await hashSecret(secret, 'deviceSecret');
    c.store.transaction(() => {
      c.store.devices.add({ id: entry.id, kind: entry.kind, secretHash, now: c.now });
      c.audit.append({ actor: c.actor, action: 'device.add', resource: `device/${entry.id}` });
    });
    outcomes.push({ id: entry.id, kind: entry.kind, action: 'created', secret });
  }
  return outcomes;
}

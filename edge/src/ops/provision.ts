import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { AuditLog } from '../audit/index.js';
import { Hema3nError, isHema3nError } from '../errors.js';
import { loadModelPackage, parseFleetPublicKey } from '../inference/index.js';
import { devKeyPath, resolveDbKey, type DbKeySettings } from '../keys/index.js';
import { databaseExists, databasePath, Store, type StoredIdentity } from '../store/index.js';
import { certificatePaths, type CertificateInfo } from './certificate.js';
import { provisionCertificate } from './certificate-step.js';
import { provisionDbKey } from './db-key-step.js';
import { parseEnvFile, readEnvFile, renderEnvFile, writeEnvFile, type EnvSettings } from './env-file.js';
import { provisionIdentity } from './identity-step.js';
import { fileVault, tpmVault, type KeyVault } from './key-vault.js';
import { currentModelDir, ModelStore, type InstalledModel } from './model-store.js';
import type { Progress } from './progress.js';
import { applyRoster, type CrewOutcome, type DeviceOutcome, type Roster, type RosterOutcome } from './roster.js';
import type { ProvisionStep, StepAction } from './steps.js';
import { TPM2_HANDLE, TPM2_HANDLES } from './tpm2.js';

export interface ProvisionRequest {
  readonly stateDir: string;
  /** Default: the provider the env file names, else file. */
  readonly keyProvider?: 'file' | 'tpm2' | undefined;
  /** file provider; default: what the env file names, else <stateDir>/db.key. */
  readonly keyFile?: string | undefined;
  /** tpm2 provider; default: what the env file names, else 0x81000100. */
  readonly tpm2Handle?: string | undefined;
  /** tpm2 provider: a file holding the owner hierarchy's auth value, when the fTPM has one. */
  readonly tpm2OwnerAuthFile?: string | undefined;
  /** Ed25519 fleet public key (URL-safe base64); required the first time. */
  readonly fleetKey?: string | undefined;
  readonly roster?: Roster | undefined;
  readonly envFile: string;
  /** The model package installed when the appliance has none yet (the release's own). */
  readonly modelSource: string;
  readonly hostnames: readonly string[];
  readonly certDays: number;
  readonly rotateIdentity: boolean;
  readonly rekey: boolean;
  readonly replaceFleetKey: boolean;
  readonly renewCert: boolean;
  /** The key settings configured before provisioning: what opens an existing database on --rekey. */
  readonly configuredKey: DbKeySettings;
  readonly mode: 'development' | 'production';
  readonly actor: string;
  readonly now: () => number;
  /** Progress of the model copy, given its total size. */
  readonly progress?: (totalBytes: number) => Progress;
}

export interface ProvisionReport {
  /** false when the run found everything as asked and changed nothing. */
  readonly changed: boolean;
  readonly applianceId: string;
  readonly signPublicKey: string;
  readonly boxPublicKey: string;
  readonly keyProvider: 'file' | 'tpm2';
  readonly envFile: string;
  readonly certificate: CertificateInfo & { readonly certFile: string; readonly keyFile: string };
  readonly model: Pick<InstalledModel, 'id' | 'version' | 'sha256'>;
  readonly steps: ProvisionStep[];
  readonly crew: CrewOutcome[];
  readonly devices: DeviceOutcome[];
  readonly warnings: string[];
}

const actionOf = (before: string | null | undefined, after: string): StepAction => (!before ? 'created' : before === after ? 'unchanged' : 'replaced');

/**
 * Makes a blank box an appliance, or checks that a provisioned one still is: fleet trust anchor,
 * database key, identity, crew and devices, TLS certificate, model, and the env file the units
 * read. Idempotent: what exists is kept; replacing an identity, key, fleet key or certificate
 * takes its own flag.
 */
export async function provision(request: ProvisionRequest): Promise<ProvisionReport> {
  const previousEnv = await readEnvFile(request.envFile);
  const settings = previousEnv === null ? new Map<string, string>() : parseEnvFile(previousEnv);
  const steps: ProvisionStep[] = [];
  const fleetKey = fleetKeyStep(request, settings.get('HEMA3N_FLEET_PUBLIC_KEY'), steps);
  await mkdir(request.stateDir, { recursive: true, mode: 0o700 });
  const keyProvider = request.keyProvider ?? (settings.get('HEMA3N_DB_KEY_PROVIDER') === 'tpm2' ? 'tpm2' : 'file');
  const vault = chooseVault({ ...request, keyProvider }, settings);
  const { identity, identityRotated, registered } = await databaseSteps(request, vault, steps);
  const certificate = await provisionCertificate({
    paths: certificatePaths(request.stateDir),
    applianceId: identity.applianceId,
    hostnames: request.hostnames,
    days: request.certDays,
    renew: request.renewCert,
    identityRotated,
    now: request.now(),
  });
  steps.push(certificate.step);
  const model = await modelStep(request, fleetKey, steps, registered.warnings);
  await envFileStep(request.envFile, previousEnv, {
    owned: {
      HEMA3N_MODE: 'production',
      HEMA3N_STATE_DIR: request.stateDir,
      ...vault.settings(),
      HEMA3N_FLEET_PUBLIC_KEY: fleetKey,
      HEMA3N_MODEL_DIR: currentModelDir(request.stateDir),
      HEMA3N_MQTT_TLS_CERT_FILE: certificate.paths.certFile,
      HEMA3N_MQTT_TLS_KEY_FILE: certificate.paths.keyFile,
      // PHI crosses the vehicle's Wi-Fi to the tablet: the API is served over HTTPS with the same certificate.
      HEMA3N_HTTP_TLS_CERT_FILE: certificate.paths.certFile,
      HEMA3N_HTTP_TLS_KEY_FILE: certificate.paths.keyFile,
    },
    defaults: { HEMA3N_MQTT_TLS_PORT: '8883' },
  }, steps);
  return {
    changed: steps.some((s) => s.action !== 'unchanged'),
    applianceId: identity.applianceId,
    signPublicKey: identity.signPublicKey,
    boxPublicKey: identity.boxPublicKey,
    keyProvider,
    envFile: request.envFile,
    certificate: { ...certificate.info, ...certificate.paths },
    model,
    steps,
    ...registered,
  };
}

interface DatabaseOutcome {
  readonly identity: StoredIdentity;
  readonly identityRotated: boolean;
  readonly registered: RosterOutcome;
}

/** The key first (it decides whether the database can be opened at all), then what lives inside the database. */
async function databaseSteps(request: ProvisionRequest, vault: KeyVault, steps: ProvisionStep[]): Promise<DatabaseOutcome> {
  const dbFile = databasePath(request.stateDir);
  const hadDatabase = databaseExists(request.stateDir);
  const keyStep = await provisionDbKey({
    vault,
    databaseFile: dbFile,
    databaseExists: hadDatabase,
    rekey: request.rekey,
    configuredKey: async () => (await resolveDbKey({ settings: request.configuredKey, mode: request.mode, stateDir: request.stateDir, databaseExists: true, warn: () => {} })).bytes,
  });
  steps.push({ name: 'database key', action: keyStep.action, detail: keyStep.detail });
  const store = Store.open({ path: dbFile, key: keyStep.key, groupCommit: { maxRows: 2000, maxDelayMs: 0 } });
  try {
    const audit = new AuditLog(store.db, request.now);
    if (keyStep.action === 'replaced' && hadDatabase) audit.append({ actor: request.actor, action: 'db.rekey', resource: 'database' });
    const { identity, action } = await provisionIdentity(store, audit, request.actor, request.now(), request.rotateIdentity);
    steps.push({ name: 'identity', action, detail: `appliance ${identity.applianceId}` });
    const registered = request.roster ? await applyRoster(request.roster, { store, audit, actor: request.actor, now: request.now() }) : { crew: [], devices: [], warnings: [] };
    const rosterChanged = [...registered.crew, ...registered.devices].some((e) => e.action !== 'unchanged');
    steps.push({ name: 'crew and devices', action: rosterChanged ? 'created' : 'unchanged', detail: `${registered.crew.length} crew, ${registered.devices.length} devices in the roster` });
    return { identity, identityRotated: action === 'replaced', registered };
  } finally {
    store.close();
  }
}

async function envFileStep(path: string, previous: string | null, settings: EnvSettings, steps: ProvisionStep[]): Promise<void> {
  const text = renderEnvFile(previous, settings);
  const action = actionOf(previous, text);
  if (action !== 'unchanged') await writeEnvFile(path, text);
  steps.push({ name: 'env file', action, detail: path });
}

function fleetKeyStep(request: ProvisionRequest, installed: string | undefined, steps: ProvisionStep[]): string {
  const given = request.fleetKey?.trim();
  if (!given) {
    if (!installed) throw new Hema3nError('USAGE', 'The first provisioning needs --fleet-key <the fleet Ed25519 public key, URL-safe base64>');
    const { keyId } = parseFleetPublicKey(installed, 'HEMA3N_FLEET_PUBLIC_KEY');
    steps.push({ name: 'fleet key', action: 'unchanged', detail: `trusting fleet key ${keyId}` });
    return installed;
  }
  const { keyId } = parseFleetPublicKey(given, '--fleet-key');
  if (installed && installed !== given && !request.replaceFleetKey) {
    throw new Hema3nError('PROVISION_WOULD_REPLACE', `This appliance already trusts another fleet key; --replace-fleet-key replaces it with ${keyId}`);
  }
  steps.push({ name: 'fleet key', action: actionOf(installed, given), detail: `trusting fleet key ${keyId}` });
  return given;
}

function chooseVault(request: ProvisionRequest & { keyProvider: 'file' | 'tpm2' }, settings: Map<string, string>): KeyVault {
  if (request.keyProvider === 'file') {
    const named = settings.get('HEMA3N_DB_KEY_PROVIDER') === 'file' ? settings.get('HEMA3N_DB_KEY_FILE') : undefined;
    return fileVault(request.keyFile ?? named ?? devKeyPath(request.stateDir), request.stateDir);
  }
  const named = settings.get('HEMA3N_DB_KEY_PROVIDER') === 'tpm2' ? settings.get('HEMA3N_TPM2_SEALED_KEY') : undefined;
  const handle = request.tpm2Handle ?? named ?? TPM2_HANDLES[0];
  if (!TPM2_HANDLE.test(handle)) {
    throw new Hema3nError('INPUT_INVALID', 'The TPM handle is not a persistent handle', { issues: [{ field: '--tpm2-handle', problem: 'must be a persistent handle, 0x81000000 to 0x81ffffff' }] });
  }
  return tpmVault(handle, request.stateDir, { ownerAuthFile: request.tpm2OwnerAuthFile });
}

/**
 * The release's model is installed when the appliance has none; updates go through `hema3n models
 * install`. An installed model that the (possibly new) fleet key does not verify is only reported:
 * the daemon will refuse it, and the fix is a package signed with that key.
 */
async function modelStep(request: ProvisionRequest, fleetKey: string, steps: ProvisionStep[], warnings: string[]): Promise<ProvisionReport['model']> {
  const key = parseFleetPublicKey(fleetKey);
  const models = new ModelStore(request.stateDir, key);
  const installed = (await models.list()).find((m) => m.slot === 'current');
  if (installed) {
    await loadModelPackage(installed.path, key).catch((error: unknown) => {
      warnings.push(`the installed model does not verify with the fleet key (${isHema3nError(error) ? error.code : 'unreadable'}): install one signed with it (hema3n models install)`);
    });
  }
  const current = installed ?? (await models.install(request.modelSource, request.progress)).current;
  steps.push({ name: 'model', action: installed ? 'unchanged' : 'created', detail: `${current.id} ${current.version} at ${join(models.root, 'current')}` });
  return { id: current.id, version: current.version, sha256: current.sha256 };
}

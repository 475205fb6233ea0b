import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, readlink, rename, rm, statfs, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Hema3nError, isHema3nError, type FieldIssue } from '../errors.js';
import {
  InferenceError, isInferenceError, loadModelPackage, modelManifestSchema, verifyPackageSignature,
  type FleetPublicKey, type ModelManifest,
} from '../inference/index.js';
import { fsyncPath, isMissing } from './durable-fs.js';
import { withInstallLock } from './install-lock.js';
import { copyHashed } from './package-copy.js';
import { silentProgress, type Progress } from './progress.js';
import type { StepAction } from './steps.js';

/**
 * Model packages installed in the field, under <stateDir>/models:
 *   current   symlink to versions/<name>: what HEMA3N_MODEL_DIR names (provisioning sets it)
 *   previous  symlink to the version `current` replaced: what `models rollback` returns to
 *   versions/ the version directories; only current and previous are kept
 *   .staging-<nonce>/ a copy being verified; left behind only by an interrupted install, and
 *             removed by the next one
 * A switch renames a fresh symlink over `current`, which is atomic: the daemon (at its next
 * start) reads the old version or the new one, never a half-copied directory.
 */
export const MODEL_MANIFEST = 'manifest.json';
const VERSIONS = 'versions';
const STAGING_PREFIX = '.staging-';

export type ModelSlot = 'current' | 'previous';

export interface InstalledModel {
  readonly slot: ModelSlot;
  readonly id: string;
  readonly version: string;
  readonly sha256: string;
  readonly path: string;
}

export interface ModelChange {
  readonly action: StepAction;
  readonly current: InstalledModel;
  readonly previous: InstalledModel | null;
}

const nonce = (): string => randomBytes(6).toString('hex');

export const modelsRoot = (stateDir: string): string => join(stateDir, 'models');
/** What HEMA3N_MODEL_DIR points at on a provisioned appliance. */
export const currentModelDir = (stateDir: string): string => join(modelsRoot(stateDir), 'current');

export class ModelStore {
  readonly root: string;

  constructor(stateDir: string, private readonly fleetKey: FleetPublicKey) {
    this.root = modelsRoot(stateDir);
  }

  async list(): Promise<InstalledModel[]> {
    const slots = await Promise.all((['current', 'previous'] as const).map((slot) => this.describe(slot)));
    return slots.filter((m): m is InstalledModel => m !== null);
  }

  /** Staging directories an interrupted install left behind. */
  async leftovers(): Promise<string[]> {
    const names = await readdir(this.root).catch((error: unknown) => (isMissing(error) ? [] : Promise.reject(error)));
    return names.filter((n) => n.startsWith(STAGING_PREFIX));
  }

  /**
   * Verifies the signature before copying a byte, copies every listed file into staging while
   * hashing it, verifies the staged copy as the daemon will load it, then switches. Any failure
   * before the switch leaves `current` as it was.
   */
  install(source: string, progressFor: (totalBytes: number) => Progress = () => silentProgress): Promise<ModelChange> {
    return this.guarded(async () => {
      const { text, manifest } = await readSignedManifest(source, this.fleetKey);
      const current = await this.describe('current');
      if (current && (await readFile(join(current.path, MODEL_MANIFEST), 'utf8').catch(() => '')) === text) {
        return { action: 'unchanged', current, previous: await this.describe('previous') };
      }
      await this.assertRoomFor(manifest);
      await this.removeLeftovers();
      const staged = join(this.root, `${STAGING_PREFIX}${nonce()}`);
      try {
        await this.stage(source, staged, text, manifest, progressFor(manifest.files.reduce((sum, f) => sum + f.bytes, 0)));
        await loadModelPackage(staged, this.fleetKey);
        const version = join(VERSIONS, `${manifest.id}@${manifest.version.replace(/[^A-Za-z0-9._-]/g, '_')}@${nonce()}`);
        await rename(staged, join(this.root, version));
        await this.switchTo(version);
      } finally {
        await rm(staged, { recursive: true, force: true });
      }
      return { action: current ? 'replaced' : 'created', current: (await this.describe('current'))!, previous: await this.describe('previous') };
    });
  }

  /** Makes the previous version current again (verified first); the version it replaces becomes previous. */
  rollback(): Promise<ModelChange> {
    return this.guarded(async () => {
      const previous = await this.linkTarget('previous');
      if (!previous) throw new Hema3nError('MODEL_ROLLBACK_UNAVAILABLE', 'No previous model version is kept on this appliance');
      await loadModelPackage(join(this.root, previous), this.fleetKey);
      await this.switchTo(previous);
      return { action: 'replaced', current: (await this.describe('current'))!, previous: await this.describe('previous') };
    });
  }

  private async guarded<T>(fn: () => Promise<T>): Promise<T> {
    try {
      await mkdir(join(this.root, VERSIONS), { recursive: true, mode: 0o755 });
      return await withInstallLock(this.root, fn);
    } catch (error) {
      if (isHema3nError(error) || isInferenceError(error)) throw error;
      throw new Hema3nError('MODEL_INSTALL_FAILED', `Model package could not be staged: ${(error as NodeJS.ErrnoException).code ?? 'I/O error'}`, { cause: error });
    }
  }

  private async stage(source: string, staged: string, text: string, manifest: ModelManifest, progress: Progress): Promise<void> {
    await mkdir(staged, { mode: 0o755 });
    const issues: FieldIssue[] = [];
    for (const file of manifest.files) {
      progress.file(file.path, file.bytes);
      const copied = await copyHashed(join(source, file.path), join(staged, file.path), progress).catch((error: unknown) => {
        if (isMissing(error)) return null;
        throw error;
      });
      if (!copied) issues.push({ field: file.path, problem: 'is listed in the manifest but missing' });
      else if (copied.sha256 !== file.sha256 || copied.bytes !== file.bytes) issues.push({ field: file.path, problem: 'differs from its sha256 in the manifest' });
    }
    progress.finish();
    if (issues.length > 0) throw new InferenceError('MODEL_INTEGRITY_FAILED', 'Model package files do not match their signed manifest', { issues });
    await writeFileSynced(join(staged, MODEL_MANIFEST), text);
    await fsyncPath(staged);
  }

  private async assertRoomFor(manifest: ModelManifest): Promise<void> {
    const needed = manifest.files.reduce((sum, f) => sum + f.bytes, 0);
    const stats = await statfs(this.root);
    const free = stats.bavail * stats.bsize;
    if (needed > free) throw new Hema3nError('MODEL_INSTALL_FAILED', `The package needs ${needed} bytes and the state directory has ${free} free`);
  }

  private async removeLeftovers(): Promise<void> {
    for (const name of await this.leftovers()) await rm(join(this.root, name), { recursive: true, force: true });
  }

  /** Points `current` at `version`, `previous` at what current was, and drops every other version. */
  private async switchTo(version: string): Promise<void> {
    const replaced = await this.linkTarget('current');
    await this.pointLink('current', version);
    if (replaced && replaced !== version) await this.pointLink('previous', replaced);
    await fsyncPath(this.root);
    const keep = new Set([await this.linkTarget('current'), await this.linkTarget('previous')]);
    for (const name of await readdir(join(this.root, VERSIONS))) {
      if (!keep.has(join(VERSIONS, name))) await rm(join(this.root, VERSIONS, name), { recursive: true, force: true });
    }
  }

  private async pointLink(link: ModelSlot, target: string): Promise<void> {
    const temporary = join(this.root, `.link-${nonce()}`);
    await symlink(target, temporary);
    await rename(temporary, join(this.root, link));
  }

  private async linkTarget(link: ModelSlot): Promise<string | null> {
    try {
      return await readlink(join(this.root, link));
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  private async describe(slot: ModelSlot): Promise<InstalledModel | null> {
    const target = await this.linkTarget(slot);
    if (!target) return null;
    const path = join(this.root, target);
    const parsed = modelManifestSchema.safeParse(await readJson(join(path, MODEL_MANIFEST)));
    if (!parsed.success) return { slot, id: '(unreadable)', version: '(unreadable)', sha256: '', path };
    return { slot, id: parsed.data.id, version: parsed.data.version, sha256: parsed.data.sha256, path };
  }
}

/** The manifest as it was signed: its signature is checked before anything is copied. */
async function readSignedManifest(source: string, fleetKey: FleetPublicKey): Promise<{ text: string; manifest: ModelManifest }> {
  let text: string;
  let json: unknown;
  try {
    text = await readFile(join(source, MODEL_MANIFEST), 'utf8');
    json = JSON.parse(text);
  } catch (cause) {
    throw new InferenceError('MODEL_PACKAGE_INVALID', 'The package has no readable manifest.json', { cause, issues: [{ field: MODEL_MANIFEST, problem: 'cannot be read as JSON' }] });
  }
  await verifyPackageSignature('model', json, fleetKey);
  const parsed = modelManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(manifest)', problem: i.message }));
    throw new InferenceError('MODEL_CONTRACT_MISMATCH', 'The model manifest does not have the contract layout', { issues });
  }
  return { text, manifest: parsed.data };
}

async function writeFileSynced(path: string, text: string): Promise<void> {
  await writeFile(path, text, { flag: 'wx', mode: 0o644 });
  await fsyncPath(path);
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch {
    return null;
  }
}

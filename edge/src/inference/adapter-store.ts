import { randomBytes } from 'node:crypto';
import { copyFile, lstat, mkdir, readdir, readlink, rename, rm, symlink, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The installed adapters on disk, under <stateDir>/adapters:
 *   <specialty>            symlink to .versions/<specialty>@<version>@<nonce>  (what is served)
 *   .previous/<specialty>  symlink to the version it replaced or removed      (for rollback)
 *   .versions/             the version directories; only current and previous are kept
 *   .staging/              copies being verified before they are committed
 * Every switch is a rename of a symlink over another, which is atomic: a reader sees the old
 * version or the new one, never a half-copied directory.
 */
export const SPECIALTY_NAME = /^[a-z][a-z0-9-]{0,39}$/;
const VERSIONS = '.versions';
const PREVIOUS = '.previous';
const STAGING = '.staging';

const nonce = (): string => randomBytes(6).toString('hex');
const missing = (error: unknown): boolean => (error as NodeJS.ErrnoException).code === 'ENOENT';

export async function installedSpecialties(root: string): Promise<string[]> {
  const names = await readdir(root).catch((error: unknown) => (missing(error) ? [] : Promise.reject(error)));
  return names.filter((n) => SPECIALTY_NAME.test(n)).sort();
}

/** The version directory a link points at (relative to root), or null when there is no link. */
async function linkTarget(root: string, link: string): Promise<string | null> {
  try {
    return (await readlink(join(root, link))).replace(/^\.\.\//, '');
  } catch (error) {
    if (missing(error)) return null;
    if ((error as NodeJS.ErrnoException).code !== 'EINVAL') throw error;
    // A plain directory someone put there by hand: adopt it as a version so it can be replaced atomically.
    const adopted = join(VERSIONS, `${link.split('/').pop()}@adopted@${nonce()}`);
    await rename(join(root, link), join(root, adopted));
    return adopted;
  }
}

/** Points `link` (relative to root) at `target` (relative to root) by renaming a fresh symlink over it. */
async function pointLink(root: string, link: string, target: string): Promise<void> {
  const temporary = join(root, STAGING, `link-${nonce()}`);
  const depth = link.split('/').length - 1;
  await symlink(`${'../'.repeat(depth)}${target}`, temporary);
  await rename(temporary, join(root, link));
}

/** Drops the version directories of `specialty` that are neither served nor kept for rollback. */
async function collect(root: string, specialty: string): Promise<void> {
  const keep = new Set([await linkTarget(root, specialty), await linkTarget(root, join(PREVIOUS, specialty))]);
  for (const name of await readdir(join(root, VERSIONS))) {
    const dir = join(VERSIONS, name);
    if (name.startsWith(`${specialty}@`) && !keep.has(dir)) await rm(join(root, dir), { recursive: true, force: true });
  }
}

async function prepareRoot(root: string): Promise<void> {
  for (const dir of [VERSIONS, PREVIOUS, STAGING]) await mkdir(join(root, dir), { recursive: true, mode: 0o700 });
}

/** Copies the listed files of a package into a fresh staging directory. */
export async function stage(root: string, source: string, files: readonly string[], specialty: string): Promise<string> {
  await prepareRoot(root);
  const staged = join(root, STAGING, `${specialty}@${nonce()}`);
  await mkdir(staged, { mode: 0o700 });
  try {
    for (const file of files) await copyFile(join(source, file), join(staged, file));
  } catch (error) {
    await rm(staged, { recursive: true, force: true });
    throw error;
  }
  return staged;
}

export const discard = (staged: string): Promise<void> => rm(staged, { recursive: true, force: true });

/** Makes a verified staging copy the served version; the version it replaces becomes the rollback. */
export async function commit(root: string, staged: string, specialty: string, version: string): Promise<void> {
  const target = join(VERSIONS, `${specialty}@${version.replace(/[^A-Za-z0-9._-]/g, '_')}@${nonce()}`);
  await rename(staged, join(root, target));
  const replaced = await linkTarget(root, specialty);
  await pointLink(root, specialty, target);
  if (replaced) await pointLink(root, join(PREVIOUS, specialty), replaced);
  await collect(root, specialty);
}

/** Stops serving the installed version (kept for rollback); false when none is installed. */
export async function uninstall(root: string, specialty: string): Promise<boolean> {
  await prepareRoot(root);
  const current = await linkTarget(root, specialty);
  if (!current) return false;
  await pointLink(root, join(PREVIOUS, specialty), current);
  await unlink(join(root, specialty));
  await collect(root, specialty);
  return true;
}

/** The directory kept for rollback, if any (install it again to roll back). */
export async function previousDir(root: string, specialty: string): Promise<string | null> {
  const link = join(root, PREVIOUS, specialty);
  return (await lstat(link).then(() => true, () => false)) ? link : null;
}

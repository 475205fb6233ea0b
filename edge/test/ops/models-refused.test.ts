import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonError } from '../support/cli.js';
import { useTempDirs } from '../support/temp.js';
import { makeModelPackage, newFleetKeys, treeHashes } from './helpers.js';
import { bench, change } from './model-bench.js';

const tempDir = useTempDirs();

describe('hema3n models install refusing a package', () => {
  it('refuses a tampered, foreign-signed or unsigned package (and a rollback with nothing to return to) without touching the running version', async () => {
    const b = await bench(tempDir());
    expect(jsonError(await b.models('rollback')).code).toBe('MODEL_ROLLBACK_UNAVAILABLE');
    change(await b.models('install', await makeModelPackage(join(b.dir, 'v1'), b.fleet, { version: '1.0.0' })));
    const before = treeHashes(join(b.dir, 'state', 'models'));
    const tampered = await makeModelPackage(join(b.dir, 'tampered'), b.fleet, { version: '2.0.0' });
    const model = readFileSync(join(tampered, 'model.onnx'));
    model[100]! ^= 0xff;
    writeFileSync(join(tampered, 'model.onnx'), model);
    const refused = await b.models('install', tampered);
    expect(refused.code).toBe(78);
    expect(jsonError(refused)).toMatchObject({ code: 'MODEL_INTEGRITY_FAILED', issues: [{ field: 'model.onnx', problem: 'differs from its sha256 in the manifest' }] });
    const foreign = await makeModelPackage(join(b.dir, 'foreign'), await newFleetKeys(), { version: '2.0.0' });
    expect(jsonError(await b.models('install', foreign)).code).toBe('MODEL_SIGNATURE_INVALID');
    const unsigned = join(b.dir, 'unsigned');
    cpSync(join(b.dir, 'v1'), unsigned, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(unsigned, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(unsigned, 'manifest.json'), JSON.stringify({ ...manifest, version: '9.9.9' }));
    expect(jsonError(await b.models('install', unsigned)).code).toBe('MODEL_SIGNATURE_INVALID');
    expect(treeHashes(join(b.dir, 'state', 'models'))).toEqual(before);
  });
});

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runHema3n } from '../support/cli.js';
import { useTempDirs } from '../support/temp.js';
import { makeModelPackage } from './helpers.js';
import { bench, change, type Installed } from './model-bench.js';

const tempDir = useTempDirs();

describe('hema3n models', () => {
  it('installs signed packages with an atomic switch, keeps the replaced version, and rolls back', async () => {
    const b = await bench(tempDir());
    const v1 = await makeModelPackage(join(b.dir, 'v1'), b.fleet, { version: '1.0.0' });
    const v2 = await makeModelPackage(join(b.dir, 'v2'), b.fleet, { version: '2.0.0', extra: [{ path: 'calibration.bin', bytes: 3 * 1024 * 1024 }] });
    const first = await b.models('install', v1);
    expect(first.stderr).toBe('');
    expect(change(first)).toMatchObject({ action: 'created', current: { slot: 'current', id: 'hema3n-core', version: '1.0.0' }, previous: null });
    expect(change(await b.models('install', v2))).toMatchObject({ action: 'replaced', current: { version: '2.0.0' }, previous: { version: '1.0.0' } });
    expect(change(await b.models('install', v2))).toMatchObject({ action: 'unchanged', current: { version: '2.0.0' } });
    const listed = JSON.parse((await b.models('list')).stdout) as (Installed & { serving: boolean })[];
    expect(listed.map((m) => [m.slot, m.version, m.serving])).toEqual([['current', '2.0.0', true], ['previous', '1.0.0', false]]);
    expect(change(await b.models('rollback'))).toMatchObject({ current: { version: '1.0.0' }, previous: { version: '2.0.0' } });
    // What the daemon serves after a restart: the inference code loads the current version, rolled back.
    const infer = await runHema3n(['infer', '--json'], b.env, JSON.stringify({ heartRate: 88, respiratoryRate: 16, complaint: 'ankle pain' }));
    expect(infer.code, infer.stderr).toBe(0);
    expect(JSON.parse(infer.stdout)).toMatchObject({ model: { id: 'hema3n-core', version: '1.0.0' } });
  });
});

import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { AdapterRegistry, InferencePart, parseFleetPublicKey } from '../../src/inference/index.js';
import { useTempDirs } from '../support/temp.js';
import { copyAdapter } from './adapter-fixtures.js';
import { DEV_PUBLIC_KEY, quietLogger, serviceOptions } from './fixtures.js';

describe('the inference part', () => {
  const tempDir = useTempDirs();

  it('is not ready, and refuses requests with NOT_READY, until its model is verified, opened and warmed up', async () => {
    const part = new InferencePart({ ...serviceOptions(tempDir()), now: () => Date.parse('2026-01-02T03:04:05Z'), watchAdapters: false });
    expect(part.ready).toBe(false);
    expect(() => part.service).toThrow(expect.objectContaining({ code: 'NOT_READY' }));
    expect(part.describe()).toEqual({ provider: null, model: null, adapters: [] });
    await part.start();
    expect(part.ready).toBe(true);
    expect(part.describe()).toMatchObject({
      provider: 'cpu',
      model: { id: 'hema3n-core', version: '0.1.0-reference' },
      adapters: expect.arrayContaining([{ specialty: 'cardiology', version: '1.0.0', source: 'bundled' }]),
      readySince: '2026-01-02T03:04:05.000Z',
    });
    await part.close();
    expect(part.ready).toBe(false);
  });

  it('fails to start with the reason when the package is refused', async () => {
    const part = new InferencePart({ ...serviceOptions(tempDir(), { fleetPublicKey: 'rfWvk9YkBbUcE8MLVAaZdMctZI7Wmgz07VcDavmqMaA' }), now: Date.now });
    await expect(part.start()).rejects.toMatchObject({ code: 'MODEL_SIGNATURE_INVALID' });
    expect(part.ready).toBe(false);
  });

  it('follows adapters that the CLI installs into the state dir while it runs', async () => {
    const state = tempDir();
    const part = new InferencePart({ ...serviceOptions(state), now: Date.now });
    await part.start();
    try {
      const cli = new AdapterRegistry({
        model: part.service.runtime.pkg, installedDir: join(state, 'adapters'), bundledDir: null, fleetKey: parseFleetPublicKey(DEV_PUBLIC_KEY), logger: quietLogger(),
      });
      await cli.load();
      await cli.install(await copyAdapter('orthopedics', tempDir(), '2.0.0'));
      await vi.waitFor(() => expect(part.service.adapters.resolve('orthopedics').version).toBe('2.0.0'), { timeout: 5000, interval: 50 });
      await cli.remove('orthopedics');
      await vi.waitFor(() => expect(part.service.adapters.resolve('orthopedics').source).toBe('bundled'), { timeout: 5000, interval: 50 });
    } finally {
      await part.close();
    }
  });
});

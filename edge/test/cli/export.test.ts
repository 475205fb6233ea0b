import { describe, expect, it } from 'vitest';
import type { Bundle } from '@medplum/fhirtypes';
import { validateBundle } from '../../src/fhir/index.js';
import { databasePath, Store } from '../../src/store/index.js';
import { jsonError, runHema3n } from '../support/cli.js';
import { randomKeyHex, useTempDirs } from '../support/temp.js';

const tempDir = useTempDirs();

describe('hema3n cases export --fhir', () => {
  it("prints the case's transaction Bundle with its stored vitals, every entry a PUT, valid R4", async () => {
    const dir = tempDir();
    const key = randomKeyHex();
    const store = Store.open({ path: databasePath(dir), key: Buffer.from(key, 'hex'), groupCommit: { maxRows: 100, maxDelayMs: 0 } });
    const { id: caseId } = store.cases.create({ incidentNumber: 'INC-5', actor: 'test', now: 1_790_000_000_000 });
    const device = store.devices.add({ id: 'mon-1', kind: 'monitor', secretHash: '-', now: 0 });
    const caseRef = store.cases.refOf(caseId);
    const at = 1_790_000_060_000;
    await store.vitalWrites.submit([
      { deviceRef: device.ref, seq: 1, code: 'HR', value: 112, unit: '/min', observedAt: at, receivedAt: at, caseRef },
      { deviceRef: device.ref, seq: 1, code: 'SBP', value: 92, unit: 'mm[Hg]', observedAt: at, receivedAt: at, caseRef },
      { deviceRef: device.ref, seq: 1, code: 'DBP', value: 60, unit: 'mm[Hg]', observedAt: at, receivedAt: at, caseRef },
    ]);
    store.close();

    const run = await runHema3n(['cases', 'export', caseId, '--fhir', '--json'], { HEMA3N_STATE_DIR: dir, HEMA3N_DB_KEY: key });
    expect(run.code).toBe(0);
    const bundle = JSON.parse(run.stdout) as Bundle;
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'transaction' });
    expect(bundle.entry!.every((e) => e.request?.method === 'PUT' && e.request.url === `${e.resource!.resourceType}/${e.resource!.id}`)).toBe(true);
    const codes = bundle.entry!.filter((e) => e.resource!.resourceType === 'Observation').map((e) => (e.resource as { code: { coding: Array<{ code: string }> } }).code.coding[0]!.code);
    expect(codes).toEqual(expect.arrayContaining(['8867-4', '85354-9']));
    expect(validateBundle(bundle)).toMatchObject({ ok: true });

    const again = await runHema3n(['cases', 'export', caseId, '--fhir', '--json'], { HEMA3N_STATE_DIR: dir, HEMA3N_DB_KEY: key });
    expect(JSON.parse(again.stdout)).toEqual(bundle);
  });

  it('refuses an unknown case and a missing --fhir', async () => {
    const env = { HEMA3N_STATE_DIR: tempDir(), HEMA3N_DB_KEY: randomKeyHex() };
    expect(jsonError(await runHema3n(['cases', 'export', '00000000-0000-4000-8000-000000000000', '--fhir', '--json'], env)).code).toBe('NOT_FOUND');
    expect(jsonError(await runHema3n(['cases', 'export', 'x', '--json'], env)).code).toBe('USAGE');
  });
});

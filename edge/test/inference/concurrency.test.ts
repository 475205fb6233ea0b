import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MicroBatcher, type InferenceResult, type InferenceService, type InferInput } from '../../src/inference/index.js';
import { useTempDirs } from '../support/temp.js';
import { openService, randomInput } from './fixtures.js';

describe('micro-batching', () => {
  function recorder(windowMs = 0, maxBatch = 4): { batcher: MicroBatcher<string, number, string>; batches: { key: string; rows: number[] }[] } {
    const batches: { key: string; rows: number[] }[] = [];
    const batcher = new MicroBatcher<string, number, string>(async (key, rows) => {
      batches.push({ key, rows: [...rows] });
      return rows.map((r) => `${key}:${r}`);
    }, { maxBatch, windowMs });
    return { batcher, batches };
  }

  it('runs requests submitted together as batches of one key each, up to maxBatch, and answers each with its own row', async () => {
    const { batcher, batches } = recorder();
    const keys = ['a', 'b', 'a', 'c', 'a', 'b', 'a', 'a', 'a'];
    const answers = await Promise.all(keys.map((key, row) => batcher.submit(key, row)));
    expect(answers).toEqual(keys.map((key, row) => `${key}:${row}`));
    for (const batch of batches) expect(batch.rows.every((row) => keys[row] === batch.key)).toBe(true);
    expect(Math.max(...batches.map((b) => b.rows.length))).toBe(4);
    // The first runs alone at once; the rest queued behind it and run grouped by key, oldest key first.
    expect(batches).toEqual([
      { key: 'a', rows: [0] }, { key: 'b', rows: [1, 5] }, { key: 'a', rows: [2, 4, 6, 7] }, { key: 'c', rows: [3] }, { key: 'a', rows: [8] },
    ]);
  });

  it('runs a lone request without waiting for company when the window is 0', async () => {
    const { batcher, batches } = recorder();
    expect(await batcher.submit('a', 1)).toBe('a:1');
    expect(batches).toEqual([{ key: 'a', rows: [1] }]);
  });

  it('collects requests that arrive within the window into one run', async () => {
    const { batcher, batches } = recorder(20, 8);
    const first = batcher.submit('a', 1);
    await new Promise((resolve) => setImmediate(resolve));
    const second = batcher.submit('a', 2);
    expect(await Promise.all([first, second])).toEqual(['a:1', 'a:2']);
    expect(batches).toEqual([{ key: 'a', rows: [1, 2] }]);
  });

  it('rejects every request of a failed batch and keeps serving the next ones', async () => {
    let fail = true;
    const batcher = new MicroBatcher<string, number, number>(async (_key, rows) => {
      if (fail) throw new Error('run failed');
      return rows.map((r) => r * 2);
    }, { maxBatch: 8, windowMs: 0 });
    const failed = await Promise.allSettled([batcher.submit('a', 1), batcher.submit('a', 2)]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await batcher.submit('a', 3)).toBe(6);
  });
});

describe('concurrent requests with different adapters', () => {
  const tempDir = useTempDirs();
  let service: InferenceService;
  const SPECIALTIES = [undefined, 'cardiology', 'neurology', 'pediatrics', 'psychiatry', 'emergency', 'orthopedics'];

  beforeAll(async () => {
    service = await openService(tempDir());
  });
  afterAll(() => service.close());

  const inputs: InferInput[] = Array.from({ length: 140 }, (_, i) => {
    const { specialty: _drop, ...input } = randomInput(1000 + i);
    const specialty = SPECIALTIES[i % SPECIALTIES.length];
    return specialty ? { ...input, specialty } : input;
  });

  const close = (a: InferenceResult, b: InferenceResult): boolean =>
    a.conditions.every((c, k) => c.id === b.conditions[k]?.id && Math.abs(c.probability - b.conditions[k]!.probability) < 1e-3)
    && a.triage.probabilities.every((p, k) => Math.abs(p - b.triage.probabilities[k]!) < 1e-3);

  it('gives every request, fired all at once with adapters alternating, the result it gets alone', async () => {
    const alone: InferenceResult[] = [];
    for (const input of inputs) alone.push(await service.infer(input));
    const before = service.runtime.stats;
    const together = await Promise.all(inputs.map((input) => service.infer(input)));
    const after = service.runtime.stats;
    // The concurrent run did share batches: otherwise this would test nothing about bleeding.
    expect(after.batches - before.batches).toBeLessThan((after.requests - before.requests) / 3);
    together.forEach((result, i) => {
      expect(result.adapter, `request ${i}`).toEqual(alone[i]!.adapter);
      expect(result.acuity).toEqual(alone[i]!.acuity);
      expect(close(result, alone[i]!), `request ${i}`).toBe(true);
    });
  });

  it('would notice a bleed: the same inputs under a neighbouring adapter give visibly different results', async () => {
    const swapped = await Promise.all(inputs.map((input, i) => service.infer({ ...input, specialty: SPECIALTIES[(i + 1) % SPECIALTIES.length] ?? 'emergency' })));
    const alone = await Promise.all(inputs.map((input) => service.infer(input)));
    const differing = swapped.filter((result, i) => !close(result, alone[i]!)).length;
    expect(differing).toBeGreaterThan(inputs.length / 3);
  });
});

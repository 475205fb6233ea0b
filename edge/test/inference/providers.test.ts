import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import {
  BUNDLED_MODEL_DIR, InferencePart, openWithFallback, ortSessionFactory, type SessionFactory,
} from '../../src/inference/index.js';
import { useTempDirs } from '../support/temp.js';
import { memoryLogger, serviceOptions } from './fixtures.js';

const model = new Uint8Array(readFileSync(join(BUNDLED_MODEL_DIR, 'model.onnx')));

interface Call {
  readonly provider: string;
  readonly options: InferenceSession.SessionOptions;
}

/** The real onnxruntime factory, except that the named providers throw the given error first. */
function failing(failures: Record<string, string>, calls: Call[]): SessionFactory {
  return async (bytes, options) => {
    const config = options.executionProviders?.[0];
    const provider = typeof config === 'string' ? config : (config?.name ?? '?');
    calls.push({ provider, options });
    const reason = failures[provider];
    if (reason) throw new Error(reason);
    return ortSessionFactory(bytes, options);
  };
}

describe('execution provider fallback', () => {
  const tempDir = useTempDirs();

  it('falls back from TensorRT and CUDA to CPU on this CPU-only build, logging why each failed', async () => {
    const { logger, lines } = memoryLogger();
    const opened = await openWithFallback(model, { providers: ['tensorrt', 'cuda', 'cpu'], stateDir: tempDir(), threads: 1, factory: ortSessionFactory, logger });
    await opened.session.release();
    expect(opened.plan).toBe('cpu');
    expect(opened.attempts.map((a) => [a.plan, a.ok])).toEqual([['tensorrt-int8', false], ['tensorrt-fp16', false], ['cuda', false], ['cpu', true]]);
    const failures = lines().filter((l) => l.msg === 'execution provider failed, trying the next one');
    expect(failures.map((l) => l.provider)).toEqual(['tensorrt-int8', 'cuda']);
    for (const line of failures) expect(line.reason).toMatch(/Failed to load shared library/);
    expect(opened.attempts[1]?.reason).toMatch(/skipped: the tensorrt provider is not available/);
  });

  it('tries TensorRT INT8, TensorRT FP16, CUDA, then CPU, in that order, with the engine cache under the state dir', async () => {
    const state = tempDir();
    const calls: Call[] = [];
    const { logger, lines } = memoryLogger();
    const factory = failing({ tensorrt: 'TensorRT engine build failed for INT8', cuda: 'CUDA out of memory' }, calls);
    const opened = await openWithFallback(model, { providers: ['tensorrt', 'cuda', 'cpu'], stateDir: state, threads: 1, factory, logger });
    await opened.session.release();
    expect(calls.map((c) => c.provider)).toEqual(['tensorrt', 'tensorrt', 'cuda', 'cpu']);
    const trt = calls.slice(0, 2).map((c) => (c.options.executionProviders?.[0] as unknown as { tensorrt: Record<string, string> }).tensorrt);
    expect(trt[0]).toMatchObject({ trt_int8_enable: '1', trt_fp16_enable: '1', trt_engine_cache_enable: '1', trt_engine_cache_path: join(state, 'trt-cache') });
    expect(trt[1]).toMatchObject({ trt_int8_enable: '0', trt_fp16_enable: '1' });
    expect(existsSync(join(state, 'trt-cache'))).toBe(true);
    // A provider that is present but fails is a warning, with onnxruntime's reason.
    expect(lines().filter((l) => l.level === 40).map((l) => [l.provider, l.reason])).toEqual([
      ['tensorrt-int8', 'TensorRT engine build failed for INT8'],
      ['tensorrt-fp16', 'TensorRT engine build failed for INT8'],
      ['cuda', 'CUDA out of memory'],
    ]);
  });

  it('uses the first provider that opens and reports it', async () => {
    const calls: Call[] = [];
    const factory = failing({ tensorrt: 'Failed to load shared library libnvinfer.so' }, calls);
    const part = new InferencePart({ ...serviceOptions(tempDir(), { providers: ['tensorrt', 'cpu'], sessionFactory: factory }), now: () => 0, watchAdapters: false });
    await part.start();
    try {
      expect(part.ready).toBe(true);
      expect(part.describe()).toMatchObject({ provider: 'cpu', model: { id: 'hema3n-core' } });
      expect(calls.map((c) => c.provider)).toEqual(['tensorrt', 'cpu']);
    } finally {
      await part.close();
    }
  });

  it('refuses the model when no provider opens it, naming each failure', async () => {
    const factory = failing({ cpu: 'unsupported operator' }, []);
    await expect(openWithFallback(model, { providers: ['cpu'], stateDir: tempDir(), threads: 1, factory, logger: memoryLogger().logger })).rejects.toMatchObject({
      code: 'MODEL_CONTRACT_MISMATCH',
      issues: [{ field: 'provider.cpu', problem: 'unsupported operator' }],
    });
  });
});

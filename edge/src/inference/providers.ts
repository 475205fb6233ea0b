import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { Logger } from '../observability/index.js';
import { InferenceError } from './errors.js';

export const EXECUTION_PROVIDERS = ['tensorrt', 'cuda', 'cpu'] as const;
export type ExecutionProvider = (typeof EXECUTION_PROVIDERS)[number];

/** One way of opening the session; TensorRT is tried as INT8 (FP16 where INT8 has no kernel), then FP16 only. */
export interface ProviderPlan {
  readonly label: 'tensorrt-int8' | 'tensorrt-fp16' | 'cuda' | 'cpu';
  readonly provider: ExecutionProvider;
  readonly config: ort.InferenceSession.ExecutionProviderConfig;
}

export interface ProviderAttempt {
  readonly plan: ProviderPlan['label'];
  readonly ok: boolean;
  /** Why it failed, as onnxruntime said it (first line); absent when it opened. */
  readonly reason?: string;
}

export type SessionFactory = (model: Uint8Array, options: ort.InferenceSession.SessionOptions) => Promise<ort.InferenceSession>;

/**
 * The stock factory. The runtime logs every provider failure with its reason itself, so
 * onnxruntime's own native error lines (printed straight to stderr) are silenced; the setting
 * is process-wide and takes effect before the first session opens.
 */
export const ortSessionFactory: SessionFactory = (model, options) => {
  ort.env.logLevel = 'fatal';
  return ort.InferenceSession.create(model, options);
};

/**
 * TensorRT options as onnxruntime's C API names them. The stock Node binding forwards only
 * deviceId; the Jetson build's binding patch forwards the `tensorrt` object (docs/INFERENCE.md).
 */
function tensorRtConfig(stateDir: string, int8: boolean): ort.InferenceSession.ExecutionProviderConfig {
  const cache = join(stateDir, 'trt-cache');
  return {
    name: 'tensorrt',
    deviceId: 0,
    tensorrt: {
      trt_int8_enable: int8 ? '1' : '0',
      trt_fp16_enable: '1',
      trt_engine_cache_enable: '1',
      trt_engine_cache_path: cache,
      trt_timing_cache_enable: '1',
      trt_timing_cache_path: cache,
    },
  } as ort.InferenceSession.ExecutionProviderConfig;
}

export function providerPlans(providers: readonly ExecutionProvider[], stateDir: string): ProviderPlan[] {
  return providers.flatMap((provider): ProviderPlan[] => {
    if (provider === 'tensorrt') {
      return [
        { label: 'tensorrt-int8', provider, config: tensorRtConfig(stateDir, true) },
        { label: 'tensorrt-fp16', provider, config: tensorRtConfig(stateDir, false) },
      ];
    }
    if (provider === 'cuda') return [{ label: 'cuda', provider, config: { name: 'cuda', deviceId: 0 } }];
    return [{ label: 'cpu', provider, config: 'cpu' }];
  });
}

/** A provider whose library is absent fails every plan alike: its other plans are not tried. */
const UNAVAILABLE = /failed to load (shared )?library|not (available|supported|registered)|unknown provider|no such provider/i;

export interface OpenOptions {
  readonly providers: readonly ExecutionProvider[];
  readonly stateDir: string;
  readonly threads: number;
  readonly factory: SessionFactory;
  readonly logger: Logger;
}

export interface OpenedSession {
  readonly session: ort.InferenceSession;
  readonly plan: ProviderPlan['label'];
  readonly attempts: readonly ProviderAttempt[];
}

/** Tries each plan in order and returns the first session that opens; logs every failure with its reason. */
export async function openWithFallback(model: Uint8Array, options: OpenOptions): Promise<OpenedSession> {
  const attempts: ProviderAttempt[] = [];
  const unavailable = new Set<ExecutionProvider>();
  for (const plan of providerPlans(options.providers, options.stateDir)) {
    if (unavailable.has(plan.provider)) {
      attempts.push({ plan: plan.label, ok: false, reason: `skipped: the ${plan.provider} provider is not available` });
      continue;
    }
    if (plan.provider === 'tensorrt') mkdirSync(join(options.stateDir, 'trt-cache'), { recursive: true });
    try {
      const session = await options.factory(model, {
        executionProviders: [plan.config],
        intraOpNumThreads: options.threads,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
      });
      attempts.push({ plan: plan.label, ok: true });
      options.logger.info({ provider: plan.label }, 'inference session opened');
      return { session, plan: plan.label, attempts };
    } catch (error) {
      const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'unknown';
      attempts.push({ plan: plan.label, ok: false, reason });
      const absent = UNAVAILABLE.test(reason);
      if (absent) unavailable.add(plan.provider);
      // An absent provider library is the normal state of a CPU-only build; a provider that is present but fails is not.
      options.logger[absent ? 'info' : 'warn']({ provider: plan.label, reason }, 'execution provider failed, trying the next one');
    }
  }
  throw new InferenceError('MODEL_CONTRACT_MISMATCH', 'No execution provider could open the model', {
    issues: attempts.map((a) => ({ field: `provider.${a.plan}`, problem: a.reason ?? 'failed' })),
  });
}

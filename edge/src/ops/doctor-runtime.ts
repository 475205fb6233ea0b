import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { EXECUTION_PROVIDERS, ortSessionFactory, providerPlans } from '../inference/index.js';
import { fail, ok, type Check, type DoctorContext, type Finding } from './doctor.js';
import type { LoadedModel } from './doctor-model.js';

/** The oldest Node the project supports (package.json engines). */
const MIN_NODE: readonly [number, number] = [20, 19];

/** L4T writes this file; its presence means the box has a GPU that inference must use. */
const JETSON_RELEASE_FILE = '/etc/nv_tegra_release';

export function nodeCheck(): Check {
  return {
    name: 'node',
    async run(): Promise<Finding> {
      const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
      const supported = major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
      const detail = `Node.js ${process.versions.node} (${process.arch})`;
      return supported ? ok(detail) : fail(detail, `Install Node.js ${MIN_NODE.join('.')} or newer (the Jetson image ships it; see Dockerfile.l4t).`);
    },
  };
}

export function onnxruntimeCheck(): Check {
  return {
    name: 'onnxruntime',
    async run(): Promise<Finding> {
      const backends = ort.listSupportedBackends().map((b) => `${b.name}${b.bundled ? '' : ' (separate library)'}`);
      return ok(`onnxruntime-node ${ort.env.versions.node ?? 'unknown'}; backends ${backends.join(', ')}`);
    },
  };
}

/**
 * Opens a session on the installed model with each execution provider alone, so the technician
 * sees which ones actually load here, not which ones were compiled in. On a Jetson (or with
 * HEMA3N_DOCTOR_EXPECT_GPU=true) running on the CPU is a failure: the model would be far too slow.
 */
export function providersCheck(c: DoctorContext, load: () => Promise<LoadedModel>): Check {
  return {
    name: 'execution providers',
    async run(): Promise<Finding> {
      const { pkg } = await load();
      const stateDir = c.config.stateDir;
      if (existsSync(stateDir)) mkdirSync(join(stateDir, 'trt-cache'), { recursive: true });
      const loaded: string[] = [];
      const refused: string[] = [];
      for (const plan of providerPlans(EXECUTION_PROVIDERS, stateDir)) {
        try {
          const session = await ortSessionFactory(pkg.model, { executionProviders: [plan.config], graphOptimizationLevel: 'all' });
          await session.release();
          loaded.push(plan.label);
        } catch (error) {
          refused.push(`${plan.label}: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`);
        }
      }
      const detail = `loads: ${loaded.join(', ') || 'none'}${refused.length > 0 ? `; refused: ${refused.join('; ')}` : ''}`;
      if (loaded.length === 0) return fail(detail, 'onnxruntime cannot run the model at all; reinstall the release (npm ci) or the Jetson image.');
      const expectGpu = c.env.HEMA3N_DOCTOR_EXPECT_GPU === 'true' || existsSync(JETSON_RELEASE_FILE);
      if (expectGpu && !loaded.some((l) => l.startsWith('tensorrt'))) {
        return fail(detail, 'Run the Jetson build of onnxruntime (Dockerfile.l4t) and check the service may open /dev/nvhost-*, /dev/nvmap (DeviceAllow=, group video).');
      }
      return ok(detail);
    },
  };
}

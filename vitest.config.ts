import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['edge/test/**/*.test.ts', 'cloud-sync/test/**/*.test.ts', 'models/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Native addons (SQLCipher, onnxruntime) are happier in forked processes than in worker threads.
    pool: 'forks',
    maxWorkers: 2,
  },
});

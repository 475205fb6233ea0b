import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', 'edge/ui/vendor/**', 'test-results/**', 'bench/results/**', '.hema3n-state/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly', clearImmediate: 'readonly', URL: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', AbortController: 'readonly', performance: 'readonly', structuredClone: 'readonly', fetch: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // The tablet app (edge/ui) runs in the browser: plain ES modules, no build step. The Web APIs it uses:
    files: ['edge/ui/**/*.js'],
    languageOptions: {
      globals: Object.fromEntries([
        'window', 'document', 'navigator', 'location', 'localStorage', 'getComputedStyle', 'requestAnimationFrame', 'cancelAnimationFrame',
        'Node', 'CustomEvent', 'FormData', 'Blob', 'EventSource', 'AudioContext', 'OfflineAudioContext', 'MediaRecorder',
        'self', 'caches', 'Request',
      ].map((name) => [name, 'readonly'])),
    },
  },
  {
    // Inside the daemon, a capability imports another only through its index.ts (the public face).
    files: ['edge/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['../*/!(index).js', '../*/*/**', '!../../*/index.js'], message: 'Import another capability through its index.ts.' }] }],
    },
  },
);

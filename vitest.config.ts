import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Only the TypeScript sources: compiled output under dist/ must never be collected twice.
    include: ['test/**/*.test.ts'],
    exclude: ['dist/**', 'node_modules/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Worker-pool tests spawn their own piscina pools; keep vitest's own parallelism modest on 2 cores.
    maxWorkers: 2,
  },
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Real models, a real browser and real CLI processes on a 2-core machine: generous timeouts,
    // and files one at a time so timings inside a test are not starved by another file.
    testTimeout: 120_000,
    hookTimeout: 300_000,
    fileParallelism: false,
    pool: 'forks',
  },
});

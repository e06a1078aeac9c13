import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // End-to-end tests spawn daemons and pseudo-terminals; two cores are all CI has.
    maxWorkers: 2,
    pool: 'forks',
  },
});

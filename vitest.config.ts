import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // tfjs keeps one global engine per process; files run in separate forks so tests stay independent.
    pool: 'forks',
  },
});

import { defineConfig } from 'vitest/config';

// One config for the workspace: unit tests sit beside their code (`*.test.ts`),
// end-to-end tests that start real servers live in `e2e/`.
export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'e2e/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    globalSetup: ['e2e/support/global-setup.ts'],
  },
});

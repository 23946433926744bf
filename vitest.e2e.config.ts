import { defineConfig } from 'vitest/config';

/**
 * Real-browser tests: the whole Teller server in-process, driven by Debian's Chromium through
 * playwright-core. Kept out of `npm test` (they need /usr/bin/chromium and take tens of seconds);
 * run them with `npm run test:e2e`.
 */
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // One browser and one server at a time: the machine is small and the flows are stateful.
    fileParallelism: false,
  },
});

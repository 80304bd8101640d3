/**
 * The reliability suite (`npm run test:reliability`): hostile input, security, duplicates,
 * concurrency and faults, each against the local cloud. Kept apart from `vitest run` because it is
 * slower and it proves properties of the whole system rather than of one part; each test records
 * the counts it checked (tests/reliability/support/counts.ts) and the suite ends with one table.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/reliability/**/*.test.ts'],
    setupFiles: ['tests/setup.ts'],
    // The same cloud assembly as the integration tests, plus the directory the counts go to.
    globalSetup: ['tests/support/global-setup.ts', 'tests/reliability/support/counts-setup.ts'],
    // Generous: a test here pushes a thousand events or a whole demo through the local cloud on a
    // 2-core machine others share. No assertion depends on these limits.
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});

import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // The reliability suite has its own config and script (vitest.reliability.config.ts).
    exclude: [...configDefaults.exclude, 'tests/reliability/**'],
    setupFiles: ['tests/setup.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    // Synthesizing the stack and bundling functions takes a few seconds on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});

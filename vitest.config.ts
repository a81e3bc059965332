import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup/yaml-package.ts'],
    // The second names the tests a crashed test process was running (vitest does not).
    reporters: ['default', './test/setup/unfinished-tests.ts'],
    // Process-level tests spawn the real CLI; give them room on a shared 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});

import { defineConfig } from 'vitest/config';

/**
 * `npm run fuzz`: the fuzz suite alone, with many more cases (FUZZ_RUNS, default 2000) and a fresh seed
 * per run unless FUZZ_SEED is set; the seed is printed at the start and by fast-check on any failure.
 * One file at a time, so the timing checks do not compete with each other for the two cores.
 */
export default defineConfig({
  test: {
    include: ['test/reliability/fuzz*.test.ts'],
    setupFiles: ['test/setup/yaml-package.ts'],
    // One seed for the whole run, so every file's failures replay with the same FUZZ_SEED.
    env: { FUZZ_RUNS: process.env.FUZZ_RUNS ?? '2000', FUZZ_SEED: process.env.FUZZ_SEED ?? String((Date.now() ^ (process.pid << 16)) >>> 0) },
    fileParallelism: false,
    testTimeout: 3_600_000,
    hookTimeout: 600_000,
  },
});

import { defineConfig } from 'vitest/config';

// `npm run test:stress` (issue 6): the fault, load and timing tests at full
// scale. The same files run at a short scale inside `npm test`; here
// WASMTLS_STRESS=1 selects the full one. One file at a time, so the load
// figures are not measured against each other; --expose-gc for the memory
// samples.
export default defineConfig({
  test: {
    reporters: ['default', './test/summary-reporter.ts'],
    include: ['test/stress/**/*.test.ts', 'test/timing/**/*.test.ts'],
    environment: 'node',
    env: { WASMTLS_STRESS: '1' },
    execArgv: ['--expose-gc'],
    fileParallelism: false,
    testTimeout: 900_000,
    hookTimeout: 60_000,
  },
});

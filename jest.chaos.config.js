// `npm run test:chaos`: the delivery guarantees inside real n8n processes (regular mode, queue mode
// with workers and Redis, two instances sharing a group) while n8n, workers and the broker are
// SIGKILLed. Each test file starts its own broker (test/integration/faults/isolated.ts) and its own
// n8n processes on free ports, so it never disturbs the shared services or the e2e suite's n8n.
// Sizes shrink when CI=true; `npm run test:full` runs them at full size (KAFKA_SUITE_FULL=1).
const tsJest = ['ts-jest', { isolatedModules: true, diagnostics: false }];
module.exports = {
  rootDir: __dirname,
  displayName: 'chaos',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': tsJest },
  moduleFileExtensions: ['ts', 'js', 'cjs', 'json'],
  modulePathIgnorePatterns: ['<rootDir>/.cache/', '<rootDir>/dist/'],
  testMatch: ['<rootDir>/test/chaos/**/*.test.ts'],
  testTimeout: 900000,
  // Several n8n processes and a broker per file on a 2-core machine: one file at a time.
  maxWorkers: 1,
};

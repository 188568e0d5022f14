// End-to-end tests: our package inside a real n8n (pinned 2.41.1 on Node 24, see scripts/n8n/).
// One n8n for the whole suite, started by test/e2e/globalSetup.ts after the local broker and
// registry (test/setup/globalSetup.ts); test files run one at a time against it.
//   npm run test:e2e
const tsJest = ['ts-jest', { isolatedModules: true, diagnostics: false }];
module.exports = {
  rootDir: __dirname,
  displayName: 'e2e',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': tsJest },
  moduleFileExtensions: ['ts', 'js', 'cjs', 'json'],
  testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
  globalSetup: '<rootDir>/test/e2e/globalSetup.ts',
  globalTeardown: '<rootDir>/test/e2e/globalTeardown.ts',
  testTimeout: 180000,
  // A single n8n and a 2-core machine: run test files sequentially.
  maxWorkers: 1,
  testSequencer: '<rootDir>/test/e2e/sequencer.js',
};

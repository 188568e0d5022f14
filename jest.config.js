// Three projects so a developer can run the fast unit tests alone; `npm test` runs all of them.
// Integration tests share one broker + registry started by the global setup (see test/setup/).
const tsJest = ['ts-jest', { diagnostics: false }];
const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': tsJest },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // .cache holds downloaded runtimes (n8n, Kafka jars) whose package.json files confuse Jest's module map.
  modulePathIgnorePatterns: ['<rootDir>/.cache/', '<rootDir>/dist/'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/.cache/'],
};
module.exports = {
  // Per-project testTimeout is not a Jest option; long tests (Maven builds) set their own timeout.
  testTimeout: 120000,
  globalSetup: '<rootDir>/test/setup/globalSetup.ts',
  globalTeardown: '<rootDir>/test/setup/globalTeardown.ts',
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.test.ts'] },
    { ...common, displayName: 'generators', testMatch: ['<rootDir>/test/generators/**/*.test.ts'] },
  ],
};

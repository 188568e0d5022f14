// Three projects so a developer can run the fast unit tests alone; `npm test` runs all of them.
// Integration tests share one broker + registry started by the global setup (see test/setup/).
const tsJest = ['ts-jest', { diagnostics: false }];
// `npm test` runs Jest under Node 24 (scripts/node24.mjs): @platformatic/kafka, the default client
// library, and the share-group protocol built on its connections need Node >= 22.22 / 24.6. Under an
// older Node (`npm run test:unit` on the system Node 20) the tests that need it are left out.
const [major, minor] = process.versions.node.split('.').map(Number);
const nodeFitsPlatformatic = major > 24 || (major === 24 && minor >= 6) || major === 23 || (major === 22 && minor >= 22);
const NODE24_ONLY = ['<rootDir>/test/unit/platformatic/', '<rootDir>/test/integration/platformatic/', '<rootDir>/test/integration/shareGroup/'];
// What the kafkajs fallback must still do: pooled connections and their errors, produce (plain and
// transactional), every Trigger delivery mode, the Admin's topic calls, lag, a rotated SASL password.
const KAFKAJS_FALLBACK = [
  'adapter/clientLibrary',
  'adapter/pool',
  'adapter/connections',
  'producer/roundTrip',
  'producer/transactions',
  'trigger/atLeastOnce',
  'trigger/exactlyOnce',
  'trigger/deliveryModes',
  'admin/topics',
  'lag/lagCheck',
  'faults/sasl-password-changed',
];
const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': tsJest },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // .cache holds downloaded runtimes (n8n, Kafka jars) whose package.json files confuse Jest's module map.
  modulePathIgnorePatterns: ['<rootDir>/.cache/', '<rootDir>/dist/'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/.cache/', ...(nodeFitsPlatformatic ? [] : NODE24_ONLY)],
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
    // The kafkajs fallback (selectable until release 0.3.0): the client-facing core again on it.
    {
      ...common,
      displayName: 'kafkajs',
      setupFiles: ['<rootDir>/test/setup/kafkajsFallback.ts'],
      testMatch: KAFKAJS_FALLBACK.map((file) => `<rootDir>/test/integration/${file}.test.ts`),
    },
  ],
};

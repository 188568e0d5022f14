import tseslint from 'typescript-eslint';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';

// The Kafka client libraries, their codecs and the MSK signer may only be imported by the Kafka
// adapter (nodes/shared/kafka/), so switching client library touches one folder (issue 12). The
// adapter's bundling entries (kafka/kafkajs/vendor.ts, kafka/platformatic/vendor.ts) may not be
// imported from outside it either; the shared bundling point (nodes/shared/vendor.ts) may load the
// signer (its MSK IAM token provider is library-neutral) and nothing else of the client set. The schema-registry libraries may only be imported by
// nodes/shared/. Both hold for `import()` and `require()` too. Tests may import kafkajs to verify
// behaviour independently of our code.
const CLIENT_ONLY = [
  'kafkajs', 'kafkajs/*', '@platformatic/kafka', '@platformatic/kafka/*', 'kafkajs-snappy', 'lz4js', 'lz4js/*', 'zstd-codec', 'aws-msk-iam-sasl-signer-js',
];
const SIGNER = 'aws-msk-iam-sasl-signer-js';
// Relative imports of the adapter's bundling entries, from wherever the importing file sits.
const ADAPTER_VENDOR = { regex: '(^|/)kafka/(kafkajs|platformatic)/vendor(\\.js)?$', message: 'Only nodes/shared/kafka/ (the Kafka adapter) may import its client bundles: use the API of nodes/shared/kafka.' };
const REGISTRY_ONLY = ['@kafkajs/*', 'avsc', 'protobufjs', 'protobufjs/*', 'ajv', 'ajv/*'];
const CLIENT_MESSAGE = 'Only nodes/shared/kafka/ (the Kafka adapter) may import a Kafka client, codec or signer: use the API of nodes/shared/kafka.';
const REGISTRY_MESSAGE = 'Only nodes/shared/ (the adapter) may import the schema-registry libraries.';

/** The package names as one regular expression source, for the `import()` / `require()` selectors. */
const namesPattern = (names) =>
  `^(${names.map((n) => n.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace('/*', '(/.*)?').replace(/\//g, '\\/')).join('|')})$`;
const restrictedLoads = (names, message) => {
  const pattern = namesPattern(names);
  return [
    { selector: `ImportExpression[source.value=/${pattern}/]`, message },
    { selector: `CallExpression[callee.name='require'][arguments.0.value=/${pattern}/]`, message },
    { selector: `TSExternalModuleReference[expression.value=/${pattern}/]`, message },
  ];
};
const clientRules = {
  'no-restricted-imports': ['error', { patterns: [{ group: CLIENT_ONLY, message: CLIENT_MESSAGE }, ADAPTER_VENDOR] }],
  'no-restricted-syntax': ['error', ...restrictedLoads(CLIENT_ONLY, CLIENT_MESSAGE)],
};
const CLIENT_BUT_SIGNER = CLIENT_ONLY.filter((name) => name !== SIGNER);
const sharedVendorRules = {
  'no-restricted-imports': ['error', { patterns: [{ group: CLIENT_BUT_SIGNER, message: CLIENT_MESSAGE }, ADAPTER_VENDOR] }],
  'no-restricted-syntax': ['error', ...restrictedLoads(CLIENT_BUT_SIGNER, CLIENT_MESSAGE)],
};
const clientAndRegistryRules = {
  'no-restricted-imports': ['error', { patterns: [{ group: CLIENT_ONLY, message: CLIENT_MESSAGE }, { group: REGISTRY_ONLY, message: REGISTRY_MESSAGE }, ADAPTER_VENDOR] }],
  'no-restricted-syntax': ['error', ...restrictedLoads(CLIENT_ONLY, CLIENT_MESSAGE), ...restrictedLoads(REGISTRY_ONLY, REGISTRY_MESSAGE)],
};
const PACKAGE_CODE = ['nodes/**/*.ts', 'credentials/**/*.ts'];
const communityRecommended = n8nCommunityNodesPlugin.configs.recommendedWithoutN8nCloudSupport;

export default [
  { ignores: ['dist/**', 'node_modules/**', '.cache/**', 'coverage/**', 'test/artifacts/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  ...tseslint.configs.recommended.map((config) => ({ ...config, files: ['**/*.ts'] })),
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-empty': ['error', { allowEmptyCatch: false }],
    },
  },
  // The package.json rules (author, peer deps, no runtime dependencies) read it through the TS parser.
  { files: ['package.json'], languageOptions: { parser: tseslint.parser } },
  // n8n's community-node rules apply to what n8n loads: nodes and credentials.
  { ...communityRecommended, files: [...PACKAGE_CODE, 'package.json'] },
  { files: [...PACKAGE_CODE, 'generators/**/*.ts', 'bin/**/*.ts'], rules: clientAndRegistryRules },
  { files: ['nodes/shared/**/*.ts'], rules: clientRules },
  { files: ['nodes/shared/vendor.ts'], rules: sharedVendorRules },
  // The adapter itself; untyped-modules.d.ts declares the untyped codec modules it loads.
  {
    files: ['nodes/shared/kafka/**/*.ts', 'nodes/shared/untyped-modules.d.ts'],
    rules: { 'no-restricted-imports': 'off', 'no-restricted-syntax': 'off' },
  },
  {
    // The rule looks for `testedBy` in a credentials array literal inside the file package.json
    // lists; our versioned nodes keep their description in v1/, which it does not follow.
    // test/unit/nodeDescriptions.test.ts checks instead that every credential use has a testedBy
    // naming a method the node really provides.
    files: ['credentials/**/*.ts'],
    rules: { '@n8n/community-nodes/credential-test-required': 'off' },
  },
  {
    files: ['nodes/shared/**/*.ts'],
    rules: {
      // The adapter raises its own KafkaSuiteError (retriable, cause, broker/topic/partition
      // context); nodes turn it into NodeApiError/NodeOperationError in one place (toNodeError),
      // because the adapter has no node to attach an n8n error to.
      '@n8n/community-nodes/require-node-api-error': 'off',
    },
  },
];

import tseslint from 'typescript-eslint';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';

// kafkajs, codecs, signers and the schema-registry client may only be imported by the adapter
// (nodes/shared/), so switching client library later touches one folder. Tests may import kafkajs
// to verify behaviour independently of our code.
const ADAPTER_ONLY = [
  'kafkajs', '@kafkajs/*', 'kafkajs-snappy', 'lz4js', 'lz4js/*', 'zstd-codec', 'aws-msk-iam-sasl-signer-js', 'avsc', 'protobufjs', 'ajv',
];
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
  {
    files: [...PACKAGE_CODE, 'generators/**/*.ts', 'bin/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ADAPTER_ONLY, message: 'Only nodes/shared/ (the adapter) may import the Kafka client, codecs or schema-registry libraries.' }] }],
    },
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
      'no-restricted-imports': 'off',
      // The adapter raises its own KafkaSuiteError (retriable, cause, broker/topic/partition
      // context); nodes turn it into NodeApiError/NodeOperationError in one place (toNodeError),
      // because the adapter has no node to attach an n8n error to.
      '@n8n/community-nodes/require-node-api-error': 'off',
    },
  },
];

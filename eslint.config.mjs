import tseslint from 'typescript-eslint';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';

// kafkajs, codecs, signers and the schema-registry client may only be imported by the adapter
// (nodes/shared/), so switching client library later touches one folder.
const ADAPTER_ONLY = [
  'kafkajs', '@kafkajs/*', 'kafkajs-snappy', 'lz4js', 'zstd-codec', 'aws-msk-iam-sasl-signer-js', 'avsc', 'protobufjs', 'ajv',
];

export default [
  { ignores: ['dist/**', 'node_modules/**', '.cache/**', 'coverage/**', 'test/artifacts/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  ...tseslint.configs.recommended,
  n8nCommunityNodesPlugin.configs.recommendedWithoutN8nCloudSupport,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-empty': ['error', { allowEmptyCatch: false }],
      'no-restricted-imports': ['error', { patterns: [{ group: ADAPTER_ONLY, message: 'Only nodes/shared/ (the adapter) may import the Kafka client, codecs or schema-registry libraries.' }] }],
    },
  },
  {
    files: ['nodes/shared/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
];

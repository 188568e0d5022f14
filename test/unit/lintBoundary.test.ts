import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

// The client boundary of issue 12, checked by running the project's own ESLint config on snippets
// placed (virtually) where they would live: a node, the shared non-Kafka code, and the adapter.
// ESLint loads its .mjs config with import(), which jest's VM cannot do, so one child process
// lints every snippet (collected by the tests below) and the tests read its answers.
const ROOT = path.resolve(__dirname, '../..');
const LINT_SCRIPT = `
import { ESLint } from 'eslint';
const cases = JSON.parse(process.argv[1]);
const eslint = new ESLint({ cwd: process.cwd() });
const out = [];
for (const { code, filePath } of cases) {
  const [result] = await eslint.lintText(code, { filePath });
  out.push(result.messages.filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax' || m.fatal).map((m) => (m.ruleId ?? 'fatal') + ': ' + m.message));
}
process.stdout.write(JSON.stringify(out));
`;

const cases: Array<{ code: string; filePath: string }> = [];
let answers: string[][] | undefined;
function lintAll(): string[][] {
  answers ??= JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', LINT_SCRIPT, JSON.stringify(cases)], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 }));
  return answers!;
}
/** Registers the snippet now (at collection time) and returns a reader of its messages for the test. */
function probe(code: string, filePath: string): () => string[] {
  const index = cases.push({ code, filePath }) - 1;
  return () => lintAll()[index];
}

const LOADS = {
  static: "import { Kafka } from 'kafkajs';\nexport const k = Kafka;\n",
  deep: "import RequestQueue from 'kafkajs/src/network/requestQueue';\nexport const q = RequestQueue;\n",
  platformatic: "import { Producer } from '@platformatic/kafka';\nexport const p = Producer;\n",
  dynamic: "export const load = () => import('kafkajs');\n",
  dynamicPlatformatic: "export const load = () => import('@platformatic/kafka');\n",
  require: "// eslint-disable-next-line @typescript-eslint/no-require-imports\nexport const k = require('kafkajs');\n",
  codec: "export const z = require('zstd-codec');\n",
  importEquals: "import kafkajs = require('kafkajs');\nexport const k = kafkajs;\n",
};

describe('lint: only nodes/shared/kafka/ loads a Kafka client', () => {
  const inNode = Object.entries(LOADS).map(([kind, code]) => [kind, probe(code, 'nodes/KafkaSuiteProducer/v1/actions/boundary-probe.ts')] as const);
  const inShared = Object.entries(LOADS).map(([kind, code]) => [kind, probe(code, 'nodes/shared/admin/boundary-probe.ts')] as const);
  const inAdapter = Object.entries(LOADS).map(([kind, code]) => [kind, probe(code, 'nodes/shared/kafka/kafkajs/boundary-probe.ts')] as const);
  const registryCode = "import * as avsc from 'avsc';\nexport const a = avsc;\nexport const p = () => import('protobufjs');\n";
  const registryInNode = probe(registryCode, 'nodes/KafkaSuiteSchemaRegistry/v1/boundary-probe.ts');
  const registryInShared = probe(registryCode, 'nodes/shared/schemaRegistry/boundary-probe.ts');
  // The adapter's bundling entries are the client too: a relative import from outside the adapter is refused.
  const bundleInShared = probe("import type { KafkaConfig } from './kafka/kafkajs/vendor';\nexport type C = KafkaConfig;\n", 'nodes/shared/boundary-probe.ts');
  const bundleInSharedDeep = probe("import { Producer } from '../kafka/platformatic/vendor';\nexport const p = Producer;\n", 'nodes/shared/admin/boundary-probe.ts');
  const bundleInNode = probe("import { Kafka } from '../../shared/kafka/kafkajs/vendor';\nexport const k = Kafka;\n", 'nodes/KafkaSuiteProducer/v1/boundary-probe.ts');
  const bundleInAdapter = probe("import { Kafka } from './vendor';\nimport { Producer } from '../platformatic/vendor';\nexport const k = [Kafka, Producer];\n", 'nodes/shared/kafka/kafkajs/boundary-probe.ts');
  // The shared bundling point (nodes/shared/vendor.ts) keeps the library-neutral MSK signer and nothing else of the client set.
  const sharedVendorClient = probe("export { Kafka } from 'kafkajs';\nexport { Producer } from '@platformatic/kafka';\n", 'nodes/shared/vendor.ts');
  const sharedVendorSigner = probe("export { generateAuthTokenFromCredentialsProvider } from 'aws-msk-iam-sasl-signer-js';\nexport * as avsc from 'avsc';\n", 'nodes/shared/vendor.ts');
  const unrelated = probe("export const a = () => import('kafkajs-extra-thing');\nexport const b = () => import('n8n-workflow');\n", 'nodes/KafkaSuiteProducer/v1/boundary-probe.ts');

  it.each(inNode)('refuses a %s load in a node file', (_kind, messages) => {
    expect(messages()).toEqual([expect.stringContaining('Only nodes/shared/kafka/')]);
  });

  it.each(inShared)('refuses a %s load in shared code outside the Kafka adapter', (_kind, messages) => {
    expect(messages()).toEqual([expect.stringContaining('Only nodes/shared/kafka/')]);
  });

  it.each(inAdapter)('allows a %s load inside the adapter', (_kind, messages) => {
    expect(messages()).toEqual([]);
  });

  it('keeps the schema-registry libraries inside nodes/shared/', () => {
    expect(registryInNode()).toEqual([expect.stringContaining('schema-registry'), expect.stringContaining('schema-registry')]);
    expect(registryInShared()).toEqual([]);
  });

  // (A relative path ending in kafkajs/… may also match the package pattern `kafkajs/*`: one more refusal, same outcome.)
  it("refuses the adapter's client bundles outside the adapter, allows them inside", () => {
    expect(bundleInShared()).toEqual(expect.arrayContaining([expect.stringContaining('client bundles')]));
    expect(bundleInSharedDeep()).toEqual(expect.arrayContaining([expect.stringContaining('client bundles')]));
    expect(bundleInNode()).toEqual(expect.arrayContaining([expect.stringContaining('client bundles')]));
    expect(bundleInAdapter()).toEqual([]);
  });

  it('keeps every Kafka client out of the shared bundling point (nodes/shared/vendor.ts), the signer aside', () => {
    expect(sharedVendorClient()).toEqual([expect.stringContaining('Only nodes/shared/kafka/'), expect.stringContaining('Only nodes/shared/kafka/')]);
    expect(sharedVendorSigner()).toEqual([]);
  });

  it('leaves unrelated loads alone (a package whose name merely starts like a client)', () => {
    expect(unrelated()).toEqual([]);
  });
});

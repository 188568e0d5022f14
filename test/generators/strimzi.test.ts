import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { STRIMZI_VERSION } from '../../generators/strimzi/schema';
import { CACHE, mavenLib, modernJava } from './helpers/maven';
import { runGenerator } from './helpers/plop';
import { pythonTools } from './helpers/tools';
import { TERRAFORM_VARIANTS, tempDir } from './helpers/variants';

// No cluster can run here, so the manifests are checked against Strimzi's own schema: the CRDs
// that Strimzi's crd-generator writes from the io.strimzi:api model classes (both from Maven
// Central), exactly as Strimzi's build makes the CRDs it ships. Unknown fields are refused.

const KINDS: Record<string, string> = {
  Kafka: 'io.strimzi.api.kafka.model.kafka.Kafka',
  KafkaNodePool: 'io.strimzi.api.kafka.model.nodepool.KafkaNodePool',
  KafkaTopic: 'io.strimzi.api.kafka.model.topic.KafkaTopic',
  KafkaUser: 'io.strimzi.api.kafka.model.user.KafkaUser',
  KafkaMirrorMaker2: 'io.strimzi.api.kafka.model.mirrormaker2.KafkaMirrorMaker2',
};

interface Checked {
  crds: number;
  documents: { file: string; kind: string; name: string; errors: string[]; celNotEvaluated: string[] }[];
}

const terraformCustom = TERRAFORM_VARIANTS.find((v) => v.id === 'kafka-custom')!.answers;
const VARIANTS: { id: string; answers: Record<string, unknown>; kinds: Record<string, number> }[] = [
  { id: 'defaults', answers: {}, kinds: { Kafka: 1, KafkaNodePool: 2, KafkaTopic: 2, KafkaUser: 1 } },
  // The terraform-module answers file, as is (target: kafka), drives the Strimzi resources too.
  { id: 'terraform-answers', answers: { ...terraformCustom, clusterName: 'payments' }, kinds: { Kafka: 1, KafkaNodePool: 2, KafkaTopic: 2, KafkaUser: 1 } },
  {
    id: 'dual-role-tls-mirror',
    answers: {
      clusterName: 'edge',
      nodePools: 'dual-role',
      brokers: 1,
      authentication: 'tls',
      storageClass: 'fast-ssd',
      kafkaExporter: false,
      topics: [{ name: 'Orders_v1', partitions: 3, replicationFactor: 1, config: { 'min.insync.replicas': '1' } }],
      acls: [
        { principal: 'User:reporting', resourceType: 'Cluster', resourceName: 'kafka-cluster', operation: 'DescribeConfigs' },
        { principal: 'User:reporting', resourceType: 'Topic', resourceName: 'Orders', patternType: 'Prefixed', operation: 'Read', permission: 'Deny' },
      ],
      quotas: [{ entityType: 'user', entityName: 'reporting', requestPercentage: 25 }],
      scramUsers: [],
      mirrorMaker2: true,
      mirrorSourceBootstrap: 'central-kafka-bootstrap.kafka.svc:9092',
      mirrorTopics: 'orders.*,payments',
    },
    kinds: { Kafka: 1, KafkaNodePool: 1, KafkaTopic: 1, KafkaUser: 2, KafkaMirrorMaker2: 1 },
  },
];

const root = tempDir('strimzi');
let crdDir = '';
/** One checker run for every variant: loading the CRDs dominates its time. */
let checked: Checked;
const timings: Record<string, number> = {};

/** CRDs for the kinds we generate, written once into .cache/ by Strimzi's CrdGenerator. */
function strimziCrds(): string {
  const dir = join(CACHE, `strimzi-${STRIMZI_VERSION}`, 'crds');
  const marker = join(dir, '.complete');
  if (existsSync(marker)) return dir;
  const lib = mavenLib(`strimzi-${STRIMZI_VERSION}`, [
    { g: 'io.strimzi', a: 'api', v: STRIMZI_VERSION },
    { g: 'io.strimzi', a: 'crd-generator', v: STRIMZI_VERSION },
  ]);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // The arguments of Strimzi's own build (api/pom.xml, generate-crds execution).
  const args = ['-cp', `${lib}/*`, 'io.strimzi.crdgenerator.CrdGenerator', '--target-kube', '1.16+', '--crd-api-version', 'v1', '--api-versions', 'v1', '--storage-version', 'v1', '--yaml'];
  for (const [kind, cls] of Object.entries(KINDS)) args.push(`${cls}=${join(dir, `${kind}.yaml`)}`);
  const res = spawnSync(modernJava(), args, { encoding: 'utf8', timeout: 5 * 60_000 });
  if (res.status !== 0) throw new Error(`CrdGenerator failed (${res.status}): ${res.stdout}${res.stderr}`);
  writeFileSync(marker, new Date().toISOString());
  return dir;
}

function check(files: string[]): Checked {
  const res = spawnSync(pythonTools(), [join(__dirname, 'helpers', 'crd_check.py'), crdDir, ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (res.status !== 0) throw new Error(`crd_check.py failed: ${res.stderr}`);
  return JSON.parse(res.stdout) as Checked;
}

beforeAll(async () => {
  const t = Date.now();
  crdDir = strimziCrds();
  timings.crds = Date.now() - t;
  for (const v of VARIANTS) {
    const { failures } = await runGenerator('strimzi', v.answers, join(root, v.id));
    expect(failures).toEqual([]);
  }
  checked = check(VARIANTS.flatMap((v) => manifests(v.id).map((f) => join(root, v.id, f))));
}, 900_000);

function manifests(id: string): string[] {
  return readdirSync(join(root, id)).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
}

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  process.stderr.write(`[strimzi] CRDs from io.strimzi:api:${STRIMZI_VERSION} ready in ${(timings.crds / 1000).toFixed(1)} s\n`);
});

describe(`generated Strimzi manifests validate against Strimzi ${STRIMZI_VERSION}'s CRD schemas`, () => {
  test('the CRDs were generated from the model, one served version per kind', () => {
    const crds = readdirSync(crdDir).filter((f) => f.endsWith('.yaml'));
    expect(crds.sort()).toEqual(Object.keys(KINDS).map((k) => `${k}.yaml`).sort());
    const topic = YAML.parse(readFileSync(join(crdDir, 'KafkaTopic.yaml'), 'utf8'));
    expect(topic.spec.versions.map((v: { name: string }) => v.name)).toEqual(['v1']);
  });

  test.each(VARIANTS)('$id: every document is valid', ({ id, kinds }) => {
    const dir = join(root, id);
    const documents = checked.documents.filter((d) => d.file.startsWith(`${dir}/`));
    const counted: Record<string, number> = {};
    for (const d of documents) counted[d.kind] = (counted[d.kind] ?? 0) + 1;
    expect(counted).toEqual(kinds);
    expect(documents.filter((d) => d.errors.length)).toEqual([]);
    const cel = new Set(documents.flatMap((d) => d.celNotEvaluated));
    process.stderr.write(`[strimzi] ${id}: ${documents.length} documents valid; ${cel.size} CEL rules on their paths not evaluated\n`);
    // kustomization.yaml lists exactly the manifest files.
    const kustomization = YAML.parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8'));
    expect([...kustomization.resources].sort()).toEqual(manifests(id).sort());
  });

  test('a topic whose name Kubernetes refuses keeps it in spec.topicName', () => {
    const [topic] = YAML.parseAllDocuments(readFileSync(join(root, 'dual-role-tls-mirror', 'topics.yaml'), 'utf8')).map((d) => d.toJS());
    expect(topic.metadata.name).toMatch(/^orders-v1-[0-9a-f]{8}$/);
    expect(topic.spec.topicName).toBe('Orders_v1');
  });

  test('the checker refuses what Kubernetes would: unknown fields, wrong enums, wrong types, bad names', () => {
    const docs = YAML.parseAllDocuments(readFileSync(join(root, 'defaults', 'kafka.yaml'), 'utf8')).map((d) => d.toJS());
    const kafka = docs.find((d) => d.kind === 'Kafka');
    kafka.metadata.name = 'Events_Cluster';
    kafka.spec.kafka.listners = kafka.spec.kafka.listeners;
    kafka.spec.kafka.listeners[0].authentication.type = 'scram-sha-256';
    kafka.spec.kafka.listeners[0].port = '9093';
    const file = join(root, 'broken.yaml');
    writeFileSync(file, YAML.stringify(kafka));
    const [doc] = check([file]).documents;
    expect(doc.errors.join('\n')).toMatch(/listners/);
    expect(doc.errors.join('\n')).toMatch(/scram-sha-256/);
    expect(doc.errors.join('\n')).toMatch(/'9093' is not of type 'integer'/);
    expect(doc.errors.join('\n')).toMatch(/metadata.name: 'Events_Cluster'/);
  });
});

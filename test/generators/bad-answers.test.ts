import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runGenerator } from './helpers/plop';
import { tempDir } from './helpers/variants';

// Bad answers must fail validation (zod) with every bad field named, before anything is written.
const BAD: { name: string; generator: string; answers: Record<string, unknown>; fields: string[] }[] = [
  { name: 'topic name with spaces', generator: 'streams-app', answers: { inputTopic: 'my orders' }, fields: ['inputTopic'] },
  { name: 'topic name with quotes', generator: 'n8n-workflow', answers: { topic: 'orders"; drop' }, fields: ['topic'] },
  { name: 'replication factor 0', generator: 'terraform-module', answers: { topics: [{ name: 'orders', partitions: 3, replicationFactor: 0 }] }, fields: ['topics.0.replicationFactor'] },
  { name: 'replication factor 0 in prompt form', generator: 'terraform-module', answers: { topics: 'orders:3:0' }, fields: ['topics.0.replicationFactor'] },
  { name: 'unknown topology', generator: 'streams-app', answers: { topology: 'fan-out' }, fields: ['topology'] },
  { name: 'Java package that is not one', generator: 'streams-app', answers: { javaPackage: 'com.example.class' }, fields: ['javaPackage'] },
  { name: 'Java package with upper case and dash', generator: 'streams-app', answers: { javaPackage: 'Com.my-app' }, fields: ['javaPackage'] },
  {
    name: 'several bad fields at once',
    generator: 'streams-app',
    answers: { topology: 'nope', javaPackage: '1abc', outputTopic: "it's", serde: 'xml' },
    fields: ['topology', 'javaPackage', 'outputTopic', 'serde'],
  },
  { name: 'two nodes', generator: 'compose-stack', answers: { nodes: 2 }, fields: ['nodes'] },
  { name: 'unknown service', generator: 'compose-stack', answers: { services: ['kafka-ui', 'ksqldb'] }, fields: ['services.1'] },
  { name: 'unknown answer key', generator: 'compose-stack', answers: { nodez: 3 }, fields: ['nodez'] },
  { name: 'MirrorMaker 2 with one alias for both clusters and no port', generator: 'mirrormaker2', answers: { sourceAlias: 'dc1', targetAlias: 'dc1', sourceBootstrap: 'kafka-1' }, fields: ['targetAlias', 'sourceBootstrap.0'] },
  { name: 'MirrorMaker 2 alias with a dot', generator: 'mirrormaker2', answers: { sourceAlias: 'eu.west' }, fields: ['sourceAlias'] },
  {
    name: 'Strimzi: what Strimzi cannot express is refused, not dropped',
    generator: 'strimzi',
    answers: {
      brokers: 1,
      topics: 'orders:3:3',
      acls: [{ principal: 'Group:ops', resourceType: 'Topic', resourceName: 'orders', operation: 'Read' }],
      quotas: [{ entityType: 'client-id', entityName: 'app', producerByteRate: 1024 }],
      scramUsers: [{ username: 'app', mechanism: 'SCRAM-SHA-256' }],
    },
    fields: ['topics.0.replicationFactor', 'acls.0.principal', 'quotas.0.entityType', 'scramUsers.0.mechanism'],
  },
  { name: 'Strimzi cluster name with upper case', generator: 'strimzi', answers: { clusterName: 'Events' }, fields: ['clusterName'] },
  { name: 'Flink job with an unknown format and a bad package', generator: 'flink-job', answers: { format: 'protobuf', javaPackage: 'com.Example' }, fields: ['format', 'javaPackage'] },
  { name: 'Flink job reading and writing one topic', generator: 'flink-job', answers: { inputTopic: 'orders', outputTopic: 'orders' }, fields: ['outputTopic'] },
  { name: 'ACL without a principal prefix', generator: 'terraform-module', answers: { acls: [{ principal: 'alice', resourceType: 'Topic', resourceName: 'x', operation: 'Read' }] }, fields: ['acls.0.principal'] },
];

describe('bad answers are rejected before anything is written', () => {
  const root = tempDir('bad');
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test.each(BAD)('$name', async ({ generator, answers, fields }) => {
    const dest = join(root, generator + Math.random().toString(36).slice(2));
    const { changes, failures } = await runGenerator(generator, answers, dest);
    expect(changes).toEqual([]);
    expect(failures).toHaveLength(1);
    const message = failures[0].error;
    expect(message).toMatch(new RegExp(`^Invalid answers for ${generator}:`));
    const named = message
      .split('\n')
      .slice(1)
      .map((line) => line.replace(/^\s+- ([^:]+):.*$/, '$1'));
    expect(named.sort()).toEqual([...fields].sort());
    // The destination was never created, let alone written to.
    expect(() => readdirSync(dest)).toThrow(/ENOENT/);
  });
});

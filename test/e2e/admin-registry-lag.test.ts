// (c) Kafka Admin (Suite), Schema Registry (Suite) and Lag Check (Suite) inside workflows in the
// real n8n, against the real broker and registry; results are checked with independent clients.
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { chain, clusterCredential, itemsNode, manualTrigger, NODE_TYPES, nodeOutput, registryCredential, registryUrl, runWorkflow } from './n8n';
import { consume, createTopics, kafka, produce, uniqueName } from './kafka';

const ORDER_AVRO = JSON.stringify({
  type: 'record',
  name: 'Order',
  namespace: 'com.example.e2e',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'amount', type: 'double' },
  ],
});

describe('Kafka Admin (Suite) in n8n', () => {
  test('creates a topic with config overrides and describes it', async () => {
    const topic = uniqueName('admin');
    const cred = await clusterCredential();
    const execution = await runWorkflow(
      chain('e2e admin', [
        manualTrigger,
        {
          name: 'Create Topic',
          type: NODE_TYPES.admin,
          parameters: {
            resource: 'topic',
            operation: 'create',
            topic,
            partitions: 3,
            replicationFactor: 1,
            configs: { config: [{ name: 'retention.ms', value: '3600000' }] },
          },
          credentials: { kafkaSuiteClusterApi: cred },
        },
        {
          name: 'Describe Topic',
          type: NODE_TYPES.admin,
          parameters: { resource: 'topic', operation: 'describe', topic: '={{ $json.topic }}' },
          credentials: { kafkaSuiteClusterApi: cred },
        },
      ]),
    );
    expect(nodeOutput(execution, 'Create Topic')[0]).toEqual(expect.objectContaining({ topic, created: true }));
    const described = nodeOutput(execution, 'Describe Topic')[0];
    expect(described.topic).toBe(topic);
    expect(described.partitionCount).toBe(3);
    expect(JSON.stringify(described.overrides)).toContain('retention.ms');

    // Independently, with kafkajs.
    const admin = kafka().admin();
    await admin.connect();
    try {
      const meta = await admin.fetchTopicMetadata({ topics: [topic] });
      expect(meta.topics[0].partitions).toHaveLength(3);
    } finally {
      await admin.disconnect();
    }
  });
});

describe('Kafka Schema Registry (Suite) in n8n', () => {
  test('registers an Avro schema, and the producer writes Confluent wire format that an independent client decodes', async () => {
    const topic = uniqueName('avro');
    const subject = `${topic}-value`;
    await createTopics([topic]);
    const cluster = await clusterCredential();
    const registry = await registryCredential();
    const orders = [
      { id: 'a-1', amount: 1.5 },
      { id: 'a-2', amount: 99 },
    ];
    const execution = await runWorkflow(
      chain('e2e schema registry', [
        manualTrigger,
        {
          name: 'Register Schema',
          type: NODE_TYPES.schemaRegistry,
          parameters: { resource: 'schema', operation: 'register', subject, schemaType: 'AVRO', schema: ORDER_AVRO },
          credentials: { kafkaSuiteSchemaRegistryApi: registry },
        },
        itemsNode('Orders', orders),
        {
          name: 'Avro Producer',
          type: NODE_TYPES.producer,
          parameters: { topic, valueSource: 'json', serialization: 'avro', subjectStrategy: 'topicName', schemaSource: 'latest', key: '={{ $json.id }}' },
          credentials: { kafkaSuiteClusterApi: cluster, kafkaSuiteSchemaRegistryApi: registry },
        },
      ]),
    );
    const registered = nodeOutput(execution, 'Register Schema')[0];
    expect(registered).toEqual(expect.objectContaining({ subject, id: expect.any(Number) }));

    // The registry has it (ccompat API, read directly).
    const latest = await (await fetch(`${registryUrl()}/subjects/${encodeURIComponent(subject)}/versions/latest`)).json();
    expect(latest.id).toBe(registered.id);

    // The messages are magic byte 0 + schema id + Avro, decodable by @kafkajs/confluent-schema-registry.
    const received = await consume(topic, orders.length);
    const decoder = new SchemaRegistry({ host: registryUrl() });
    for (const m of received) {
      expect(m.valueBuffer![0]).toBe(0);
      expect(m.valueBuffer!.readInt32BE(1)).toBe(registered.id);
      expect(await decoder.decode(m.valueBuffer!)).toEqual(orders.find((o) => o.id === m.key));
    }
  });
});

describe('Kafka Lag Check (Suite) in n8n', () => {
  test('reports the committed offset, log end and lag of a real consumer group', async () => {
    const topic = uniqueName('lag');
    const group = uniqueName('lag-group');
    await createTopics([topic]);
    await produce(topic, Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })));
    const admin = kafka().admin();
    await admin.connect();
    try {
      await admin.setOffsets({ groupId: group, topic, partitions: [{ partition: 0, offset: '4' }] });
    } finally {
      await admin.disconnect();
    }
    const cred = await clusterCredential();
    const execution = await runWorkflow(
      chain('e2e lag check', [
        manualTrigger,
        {
          name: 'Lag Check',
          type: NODE_TYPES.lagCheck,
          parameters: { resource: 'consumerGroup', operation: 'checkLag', groups: group, output: 'partitions' },
          credentials: { kafkaSuiteClusterApi: cred },
        },
      ]),
    );
    const rows = nodeOutput(execution, 'Lag Check');
    expect(rows).toEqual([
      expect.objectContaining({ group, topic, partition: 0, committedOffset: 4, logEndOffset: 10, lag: 6 }),
    ]);
  });
});

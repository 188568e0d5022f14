// Producer options against the real services: registry schema by latest/specific version and by
// subject strategy, trace context continued across Producer → Trigger, partition choices, and
// reuse of the pooled producer across executions.
import type { Admin, Kafka } from 'kafkajs';
import type { INodeExecutionData } from 'n8n-workflow';
import { SchemaRegistryClient, clientPool } from '../../../nodes/shared';
import { waitFor } from '../../helpers/n8nContext';
import { consumeFromStart, createTopic, emittedItems, openAdmin, rawKafka, registryCredential, runProducer, startTrigger, unique } from '../trigger/harness';

let kafka: Kafka;
let admin: Admin;
beforeAll(async () => {
  kafka = rawKafka();
  admin = await openAdmin(kafka);
});
afterAll(async () => {
  await admin.disconnect();
  await clientPool.closeAll();
});

const avro = (fields: Array<{ name: string; type: unknown; default?: unknown }>) => JSON.stringify({ type: 'record', name: 'Reading', namespace: 'test.options', fields });

test('Schema Registry: latest version, a specific version, and record-name subjects', async () => {
  const topic = await createTopic(admin, unique('sr-versions'), 1);
  const registry = new SchemaRegistryClient(registryCredential() as any);
  const v1 = await registry.register(`${topic}-value`, 'AVRO', avro([{ name: 'celsius', type: 'double' }]));
  const v2 = await registry.register(`${topic}-value`, 'AVRO', avro([{ name: 'celsius', type: 'double' }, { name: 'sensor', type: 'string', default: 'unknown' }]));
  expect(v2.id).not.toBe(v1.id);
  const send = (schemaSource: string, extra: Record<string, unknown>, items: INodeExecutionData[]) =>
    runProducer(
      (name) =>
        ({ topic, valueSource: 'json', serialization: 'avro', subjectStrategy: 'topicName', schemaSource, schemaVersion: 1, key: '', headersMode: 'none', partitioning: 'keyHash', options: {}, ...extra })[name],
      items,
      { continueOnFail: true },
    );
  const latest = await send('latest', {}, [{ json: { celsius: 21.5, sensor: 's1' } }]);
  expect(latest[0].json).toMatchObject({ schemaId: v2.id, subject: `${topic}-value` });
  const pinned = await send('version', {}, [{ json: { celsius: 19 } }]);
  expect(pinned[0].json).toMatchObject({ schemaId: v1.id });
  const missing = await send('latest', { subjectStrategy: 'recordName', recordName: 'test.options.Nope' }, [{ json: { celsius: 1 } }]);
  expect(missing[0].json.error).toMatch(/Schema Registry GET \/subjects\/test\.options\.Nope\/versions\/latest answered HTTP 404/);

  const read = await consumeFromStart(kafka, topic, 2);
  const decoded = await Promise.all(read.map((m) => registry.decode(m.value!)));
  expect(decoded.map((d) => [d.schemaId, d.value])).toEqual([
    [v2.id, { celsius: 21.5, sensor: 's1' }],
    [v1.id, { celsius: 19 }],
  ]);
});

test('traceparent continues the incoming trace, and the Trigger hands it to the next Producer', async () => {
  const first = await createTopic(admin, unique('trace-a'), 1);
  const second = await createTopic(admin, unique('trace-b'), 1);
  const incoming = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
  const produce = (topic: string, items: INodeExecutionData[]) =>
    runProducer((name) => ({ topic, valueSource: 'json', serialization: 'json', key: 'k', headersMode: 'none', partitioning: 'keyHash', options: { traceContext: true } })[name], items);
  await produce(first, [{ json: { traceparent: incoming } }]);

  const trigger = await startTrigger({ topicSelection: 'names', topics: first, groupId: unique('trace-group'), startFrom: 'earliest', deliveryMode: 'afterSuccess', valueFormat: 'json' }, () => 'success');
  let hop: INodeExecutionData[] = [];
  try {
    hop = await waitFor(() => (emittedItems(trigger.context).length ? emittedItems(trigger.context) : undefined), { what: 'the traced message' });
  } finally {
    await trigger.close();
  }
  const firstHeader = (hop[0].json.headers as Record<string, string>).traceparent;
  expect(firstHeader).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
  expect(firstHeader).not.toContain('00f067aa0ba902b7');
  // The trigger item (with its headers) goes straight into the next Producer: same trace, new span.
  await produce(second, [{ json: hop[0].json }]);
  const [next] = await consumeFromStart(kafka, second, 1);
  const secondHeader = next.headers!.traceparent!.toString();
  expect(secondHeader.slice(0, 36)).toBe(firstHeader.slice(0, 36));
  expect(secondHeader).not.toBe(firstHeader);
});

test('round robin spreads over partitions, explicit pins one, and executions reuse the pooled producer', async () => {
  const topic = await createTopic(admin, unique('partitions'), 3);
  const items = Array.from({ length: 6 }, (_, n) => ({ json: { n } }));
  const run = (partitioning: string) =>
    runProducer((name) => ({ topic, valueSource: 'json', serialization: 'json', key: '', headersMode: 'none', partitioning, partition: 2, options: {} })[name], items);
  const spread = await run('roundRobin');
  const counts = [0, 1, 2].map((p) => spread.filter((item) => item.json.partition === p).length);
  expect(counts).toEqual([2, 2, 2]);
  const poolAfterFirst = clientPool.size;
  const pinned = await run('explicit');
  expect(new Set(pinned.map((item) => item.json.partition))).toEqual(new Set([2]));
  expect(pinned.map((item) => item.json.offset)).toEqual(['2', '3', '4', '5', '6', '7']);
  await run('keyHash');
  expect(clientPool.size).toBe(poolAfterFirst);
});

test('an execution is sent in as few produce requests as the maximum batch size allows', async () => {
  const topic = await createTopic(admin, unique('requests'), 3);
  const run = (count: number, maxBatchSize: number) =>
    runProducer(
      (name) => ({ topic, valueSource: 'json', serialization: 'json', key: '', headersMode: 'none', partitioning: 'roundRobin', options: { maxBatchSize } })[name],
      Array.from({ length: count }, (_, n) => ({ json: { n } })),
    );
  await run(1, 10); // connects the pooled producer
  const small = await run(1000, 300);
  const large = await run(1000, 5000);
  expect(small).toHaveLength(1000);
  expect(large).toHaveLength(1000);
  // Counted on the broker, whichever client sends (KAFKA_SUITE_CLIENT): a produce request appends
  // one record batch per partition it carries, and the log keeps those batches as they were
  // appended. Each record read back names its batch (kafkajs's batchContext.firstOffset).
  const read = (await consumeFromStart(kafka, topic, 2001)) as Array<Awaited<ReturnType<typeof consumeFromStart>>[number] & { batchContext: { firstOffset: string } }>;
  const batchesPerPartition = (output: INodeExecutionData[]) => {
    const mine = new Set(output.map((item) => `${item.json.partition}/${item.json.offset}`));
    const batches = new Set(read.filter((m) => mine.has(`${m.partition}/${m.offset}`)).map((m) => `${m.partition}/${m.batchContext.firstOffset}`));
    return [0, 1, 2].map((p) => [...batches].filter((b) => b.startsWith(`${p}/`)).length);
  };
  // 1000 items round robin over 3 partitions, at most 300 per request: 4 requests, each with a
  // batch for every partition. With 5000 allowed: one request, one batch per partition.
  expect(batchesPerPartition(small)).toEqual([4, 4, 4]);
  expect(batchesPerPartition(large)).toEqual([1, 1, 1]);
});

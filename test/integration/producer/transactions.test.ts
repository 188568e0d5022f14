// Transactional sends: all items of an execution commit together, or none becomes visible to a
// read_committed consumer, even when some of them were already written to the log.
import { randomBytes } from 'node:crypto';
import type { Admin, Kafka } from 'kafkajs';
import type { INodeExecutionData } from 'n8n-workflow';
import { clientPool } from '../../../nodes/shared';
import { registerCompressionCodecs } from '../../../nodes/shared/kafka/kafkajs/codecs';
import { waitFor } from '../../helpers/n8nContext';
import { consumeFromStart, createTopic, openAdmin, rawKafka, runProducer, unique } from '../trigger/harness';

let kafka: Kafka;
let admin: Admin;
beforeAll(async () => {
  // The checks read with a kafkajs client of their own, whichever client the Producer runs on
  // (KAFKA_SUITE_CLIENT): it needs the LZ4/Snappy/ZSTD codecs, which kafkajs learns only when the
  // suite opens a kafkajs connection, so they are registered here rather than left to that side effect.
  registerCompressionCodecs();
  kafka = rawKafka();
  admin = await openAdmin(kafka);
});
afterAll(async () => {
  await admin.disconnect();
  await clientPool.closeAll();
});

const params = (topic: string, options: Record<string, unknown>) => (name: string, index: number) =>
  ({
    topic,
    valueSource: 'field',
    valueField: 'payload',
    serialization: 'string',
    key: `k${index}`,
    headersMode: 'none',
    partitioning: 'roundRobin',
    options: { transactional: true, transactionalId: unique('tx'), ...options },
  })[name];

async function sentinel(topic: string, partition: number): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: [{ partition, value: 'sentinel' }] });
  await producer.disconnect();
}

describe('Producer transactions', () => {
  test('a committed transaction makes every item visible, with offsets per item', async () => {
    const topic = await createTopic(admin, unique('tx-ok'), 2);
    const items: INodeExecutionData[] = [0, 1, 2].map((n) => ({ json: { payload: `ok-${n}` } }));
    const output = await runProducer(params(topic, { compression: 'lz4' }), items);
    expect(output.map((item) => item.json.error)).toEqual([undefined, undefined, undefined]);
    const read = await consumeFromStart(kafka, topic, 3);
    for (const item of output) {
      const match = read.find((m) => m.partition === item.json.partition && m.offset === item.json.offset);
      expect(match?.value?.toString()).toBe(`ok-${output.indexOf(item)}`);
    }
  });

  test('one failing item aborts the batch: written records stay invisible to read_committed', async () => {
    const topic = await createTopic(admin, unique('tx-abort'), 1);
    // Item 3 passes local checks (compressed sizes are the broker's call) but the broker refuses it,
    // after items 0-2 (two requests: the big item goes alone) were already written in the transaction.
    const big = randomBytes(1536 * 1024).toString('base64');
    const items: INodeExecutionData[] = [{ json: { payload: 'a' } }, { json: { payload: 'b' } }, { json: { payload: 'c' } }, { json: { payload: big } }];
    const error = await runProducer(params(topic, { compression: 'gzip', maxBatchSize: 2 }), items).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as { context?: { itemIndex?: number } }).context?.itemIndex).toBe(3);

    // Items a, b and c plus the abort marker are in the log; the marker lands a few tens of ms
    // after EndTxn answers, so wait for it rather than read the end offset once.
    const high = await waitFor(async () => {
      const [{ high: end }] = await admin.fetchTopicOffsets(topic);
      return Number(end) >= 4 ? Number(end) : undefined;
    }, { timeoutMs: 10_000, what: 'abort marker at offset 3' });
    expect(high).toBe(4);
    const uncommitted = await consumeFromStart(kafka, topic, 3, { readUncommitted: true });
    expect(uncommitted.map((m) => m.value?.toString())).toEqual(['a', 'b', 'c']);
    // ...but a read_committed consumer reaches a later message without seeing any of them.
    await sentinel(topic, 0);
    const committed = await consumeFromStart(kafka, topic, 1, { until: (list) => list.some((m) => m.value?.toString() === 'sentinel') });
    expect(committed.map((m) => m.value?.toString())).toEqual(['sentinel']);
  });

  test('with continueOnFail an aborted transaction returns an error item for every input item', async () => {
    const topic = await createTopic(admin, unique('tx-cof'), 1);
    const items: INodeExecutionData[] = [{ json: { payload: 'a' } }, { json: {} }, { json: { payload: 'c' } }];
    const output = await runProducer(params(topic, {}), items, { continueOnFail: true });
    expect(output).toHaveLength(3);
    expect(output[1].json.error).toMatch(/no field "payload"/);
    expect(output[0].json.error).toMatch(/aborted because item 1 failed/);
    expect(output[2].json.error).toMatch(/aborted because item 1 failed/);
    expect(output.every((item) => item.json.transactionAborted === true)).toBe(true);
    expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
    const [{ high }] = await admin.fetchTopicOffsets(topic);
    expect(high).toBe('0');
  });
});

// Per-item failures: each bad item gets its own clear error, and with continueOnFail the good items
// of the same execution are still sent (checked by reading the topic back independently).
import { randomBytes } from 'node:crypto';
import type { Admin, Kafka } from 'kafkajs';
import { NodeApiError, NodeOperationError, type INodeExecutionData } from 'n8n-workflow';
import { clientPool } from '../../../nodes/shared';
import { consumeFromStart, createTopic, openAdmin, rawKafka, runProducer, unique } from '../trigger/harness';

const AVRO = JSON.stringify({ type: 'record', name: 'Payment', namespace: 'test.bad', fields: [{ name: 'amount', type: 'double' }] });

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

async function highWatermarks(topic: string): Promise<number[]> {
  return (await admin.fetchTopicOffsets(topic)).sort((a, b) => a.partition - b.partition).map((p) => Number(p.high));
}

describe('Producer per-item errors', () => {
  let topic: string;
  let items: INodeExecutionData[];
  let parameters: (name: string, index: number) => unknown;

  beforeAll(async () => {
    topic = await createTopic(admin, unique('bad'), 1);
    items = [
      { json: { n: 0, amount: 1 } },
      { json: { n: 1, amount: 1 } },
      { json: { n: 2, amount: 'not a number' } },
      { json: { n: 3, blob: 'x'.repeat(2 * 1024 * 1024) } },
      { json: { n: 4, amount: 4 } },
      { json: { n: 5, amount: 5 } },
    ];
    parameters = (name, index) =>
      ({
        topic: index === 1 ? unique('does-not-exist') : topic,
        valueSource: 'json',
        serialization: index === 2 ? 'avro' : 'json',
        subjectStrategy: 'topicName',
        schemaSource: 'schema',
        schemaText: AVRO,
        autoRegister: true,
        key: `k${index}`,
        headersMode: index === 4 ? 'json' : 'none',
        headersJson: { 'x-count': 42 },
        partitioning: 'keyHash',
        options: {},
      })[name];
  });

  test('without continueOnFail the first bad item stops the execution before anything is sent', async () => {
    const before = await highWatermarks(topic);
    const error = await runProducer(parameters, items).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NodeOperationError);
    expect((error as NodeOperationError).message).toMatch(/does not exist/);
    expect((error as NodeOperationError).context.itemIndex).toBe(1);
    expect(await highWatermarks(topic)).toEqual(before);
  });

  test('with continueOnFail each bad item is an error item and the good ones are sent', async () => {
    const before = await highWatermarks(topic);
    const output = await runProducer(parameters, items, { continueOnFail: true });
    expect(output.map((item) => item.pairedItem)).toEqual(items.map((_, item) => ({ item })));
    const [good0, unknownTopic, schemaMismatch, tooLarge, badHeader, good5] = output.map((item) => item.json);
    expect(unknownTopic.error).toMatch(/Topic "does-not-exist-[0-9a-f]+" does not exist/);
    expect(unknownTopic.errorKind).toBe('config');
    expect(schemaMismatch.error).toMatch(/does not match the AVRO schema.*amount/);
    expect(schemaMismatch.errorKind).toBe('serialization');
    expect(tooLarge.error).toMatch(/The message is \d+ bytes; topic ".*" accepts at most \d+ \(max\.message\.bytes\)/);
    expect(badHeader.error).toMatch(/Header "x-count" must be a string .* got number/);
    expect(good0.offset).toBe(String(before[0]));
    expect(good5.offset).toBe(String(before[0] + 1));
    const read = await consumeFromStart(kafka, topic, before[0] + 2);
    expect(read.slice(before[0]).map((m) => JSON.parse(m.value!.toString()).n)).toEqual([0, 5]);
  });

  test('a request the broker refuses fails only its own items (compressed message over the size limit)', async () => {
    const target = await createTopic(admin, unique('refused'), 1);
    const big = randomBytes(1536 * 1024).toString('base64');
    const output = await runProducer(
      (name, index) =>
        ({ topic: target, valueSource: index === 1 ? 'string' : 'json', valueString: big, serialization: 'string', key: '', headersMode: 'none', partitioning: 'keyHash', options: { compression: 'gzip', maxBatchSize: 1 } })[name],
      [{ json: { n: 0 } }, { json: { n: 1 } }, { json: { n: 2 } }],
      { continueOnFail: true },
    );
    expect(output[0].json.offset).toBe('0');
    expect(output[1].json.error).toMatch(/too large|MESSAGE_TOO_LARGE|RecordTooLarge|larger than/i);
    expect(output[2].json.offset).toBe('1');
    expect(await highWatermarks(target)).toEqual([2]);
  });

  test('explicit partition outside the topic and acks without idempotence are refused clearly', async () => {
    const target = await createTopic(admin, unique('part'), 2);
    const output = await runProducer(
      (name) => ({ topic: target, valueSource: 'json', serialization: 'json', key: '', headersMode: 'none', partitioning: 'explicit', partition: 5, options: {} })[name],
      [{ json: { n: 0 } }],
      { continueOnFail: true },
    );
    expect(output[0].json.error).toBe(`Topic "${target}" has 2 partition(s); partition 5 does not exist`);
    const error = await runProducer(
      (name) => ({ topic: target, valueSource: 'json', serialization: 'json', key: '', headersMode: 'none', partitioning: 'keyHash', options: { acks: 'leader' } })[name],
      [{ json: { n: 0 } }],
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NodeOperationError);
    expect((error as Error).message).toMatch(/idempotent/);
    expect(NodeApiError).toBeDefined();
  });
});

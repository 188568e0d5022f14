// Producer → Trigger round trip against the real broker and registry: every serialization with
// every compression codec, checking key, headers, partition, offset and timestamp on both ends.
import type { Admin, Kafka } from 'kafkajs';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { clientPool } from '../../../nodes/shared';
import { waitFor } from '../../helpers/n8nContext';
import { createTopic, emittedItems, openAdmin, rawKafka, runProducer, startTrigger, unique } from '../trigger/harness';

const CODECS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
const SCHEMAS = {
  avro: JSON.stringify({
    type: 'record',
    name: 'Order',
    namespace: 'test.suite',
    fields: [
      { name: 'id', type: 'string' },
      { name: 'amount', type: 'double' },
    ],
  }),
  protobuf: 'syntax = "proto3";\npackage test.suite;\nmessage Order {\n  string id = 1;\n  double amount = 2;\n}\n',
  jsonSchema: JSON.stringify({
    type: 'object',
    title: 'Order',
    properties: { id: { type: 'string' }, amount: { type: 'number' } },
    required: ['id', 'amount'],
    additionalProperties: false,
  }),
};
type Serialization = 'json' | 'string' | 'binary' | 'avro' | 'protobuf' | 'jsonSchema';
const SERIALIZATIONS: Serialization[] = ['json', 'string', 'binary', 'avro', 'protobuf', 'jsonSchema'];

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

function inputItems(serialization: Serialization, codec: string): INodeExecutionData[] {
  return [0, 1].map((n) => {
    const id = `${codec}-${n}`;
    if (serialization === 'binary') {
      const bytes = Buffer.from([0, 255, n, 10, 13, ...Buffer.from(id)]);
      return { json: { id }, binary: { data: { data: bytes.toString('base64'), mimeType: 'application/octet-stream' } } };
    }
    return { json: { id, amount: n + 0.5 } };
  });
}

function producerParameters(topic: string, serialization: Serialization, codec: string, timestamp: string) {
  const registry = serialization === 'avro' || serialization === 'protobuf' || serialization === 'jsonSchema';
  return (name: string, itemIndex: number): unknown => {
    const params: Record<string, unknown> = {
      topic,
      valueSource: serialization === 'binary' ? 'binary' : serialization === 'string' ? 'string' : 'json',
      valueString: `text value ${codec}-${itemIndex} ünïcode`,
      binaryPropertyName: 'data',
      serialization: serialization === 'string' ? 'string' : serialization,
      subjectStrategy: 'topicName',
      schemaSource: 'schema',
      schemaText: registry ? SCHEMAS[serialization as keyof typeof SCHEMAS] : '',
      autoRegister: true,
      key: `key-${codec}-${itemIndex}`,
      headersMode: 'list',
      'headerList.header': [
        { name: 'x-codec', value: codec, type: 'string' },
        { name: 'x-bytes', value: Buffer.from([1, 2, 3, itemIndex]).toString('base64'), type: 'binary' },
      ],
      partitioning: 'keyHash',
      options: { compression: codec, timestamp },
    };
    return params[name];
  };
}

describe('Producer → Trigger round trip', () => {
  test.each(SERIALIZATIONS)('%s with every compression codec', async (serialization) => {
    // The records carry this fixed, months-old timestamp: without retention.ms=-1 the broker's
    // retention check (every 5 min) deletes them whenever it runs between the send and the fetch, and
    // the trigger, starting at the earliest offset, then finds nothing (a fresh-clone run on 3.9.1).
    const topic = await createTopic(admin, unique(`rt-${serialization}`), 3, [{ name: 'retention.ms', value: '-1' }]);
    const timestamp = '2026-03-04T05:06:07.089Z';
    const sent: Array<{ input: INodeExecutionData; output: IDataObject; codec: string; index: number }> = [];
    for (const codec of CODECS) {
      const items = inputItems(serialization, codec);
      const output = await runProducer(producerParameters(topic, serialization, codec, timestamp), items);
      expect(output).toHaveLength(2);
      output.forEach((item, index) => {
        expect(item.pairedItem).toEqual({ item: index });
        expect(item.json.error).toBeUndefined();
        sent.push({ input: items[index], output: item.json, codec, index });
      });
    }

    const trigger = await startTrigger(
      {
        topicSelection: 'names',
        topics: topic,
        groupId: unique('rt-group'),
        startFrom: 'earliest',
        deliveryMode: 'afterSuccess',
        valueFormat: serialization === 'binary' ? 'binary' : serialization === 'string' ? 'string' : serialization === 'json' ? 'json' : 'schemaRegistry',
        options: { rawHeaders: true },
      },
      () => 'success',
    );
    try {
      await waitFor(() => emittedItems(trigger.context).length >= sent.length, { timeoutMs: 60_000, what: `${sent.length} messages from ${topic}` }).catch((error: Error) => {
        // Which partitions stalled: sent vs received partition:offset.
        const at = (items: IDataObject[]) => items.map((json) => `${json.partition}:${json.offset}`).sort().join(' ');
        const said = [...trigger.context.errors.map((e) => `emitError: ${e.message}`), ...trigger.context.warnings].slice(-10).join(' | ');
        throw new Error(`${error.message}; sent ${at(sent.map((s) => s.output))}, received ${at(emittedItems(trigger.context).map((item) => item.json))}; the trigger said: ${said || 'nothing'}`);
      });
    } finally {
      await trigger.close();
    }
    const received = emittedItems(trigger.context);
    expect(received).toHaveLength(sent.length);
    for (const { input, output, codec, index } of sent) {
      const match = received.find((item) => item.json.partition === output.partition && item.json.offset === output.offset);
      expect(match).toBeDefined();
      const json = match!.json;
      expect(output.topic).toBe(topic);
      expect(json.topic).toBe(topic);
      expect(json.key).toBe(`key-${codec}-${index}`);
      expect(output.key).toBe(`key-${codec}-${index}`);
      expect(json.timestampMs).toBe(Date.parse(timestamp));
      expect(output.timestampMs).toBe(Date.parse(timestamp));
      expect(json.timestamp).toBe(timestamp);
      expect((json.headers as IDataObject)['x-codec']).toBe(codec);
      expect((json.headersRaw as IDataObject)['x-bytes']).toBe(Buffer.from([1, 2, 3, index]).toString('base64'));
      switch (serialization) {
        case 'binary':
          expect(match!.binary?.data?.data).toBe(input.binary!.data.data);
          break;
        case 'string':
          expect(json.value).toBe(`text value ${codec}-${index} ünïcode`);
          break;
        case 'json':
          expect(json.value).toEqual(input.json);
          break;
        default:
          expect(json.value).toEqual(input.json);
          expect(json.schemaId).toBe(output.schemaId);
          expect(typeof json.schemaId).toBe('number');
          expect(json.subject).toBe(`${topic}-value`);
      }
    }
    // Same key → same partition (murmur2); offsets are dense per partition across the five sends.
    const byPartition = new Map<number, bigint[]>();
    for (const { output } of sent) byPartition.set(output.partition as number, [...(byPartition.get(output.partition as number) ?? []), BigInt(output.offset as string)]);
    for (const offsets of byPartition.values()) expect(offsets).toEqual(offsets.map((_, i) => BigInt(i)));
  });
});

describe('compression happens on the wire', () => {
  // The broker checks max.message.bytes (1 MB by default) against the compressed batch: a 1.5 MB
  // compressible value gets through only if the codec really compressed it.
  test('a 1.5 MB compressible value is refused uncompressed and accepted with every codec', async () => {
    const topic = await createTopic(admin, unique('rt-wire'), 1);
    const big = 'kafka-suite '.repeat(131_072);
    const send = (codec: string) =>
      runProducer(
        (name) => ({ topic, valueSource: 'string', valueString: big, serialization: 'string', key: codec, headersMode: 'none', partitioning: 'keyHash', options: { compression: codec } })[name],
        [{ json: {} }],
        { continueOnFail: true },
      );
    expect((await send('none'))[0].json.error).toMatch(/max\.message\.bytes/);
    for (const codec of CODECS.filter((c) => c !== 'none')) {
      const [result] = await send(codec);
      expect({ codec, error: result.json.error }).toEqual({ codec, error: undefined });
    }
    const trigger = await startTrigger(
      { topicSelection: 'names', topics: topic, groupId: unique('rt-wire-group'), startFrom: 'earliest', deliveryMode: 'afterSuccess', valueFormat: 'string' },
      () => 'success',
    );
    try {
      await waitFor(() => emittedItems(trigger.context).length >= 4, { timeoutMs: 60_000, what: 'four large messages' });
    } finally {
      await trigger.close();
    }
    expect(emittedItems(trigger.context).map((item) => [item.json.key, (item.json.value as string).length])).toEqual(
      CODECS.filter((c) => c !== 'none').map((codec) => [codec, big.length]),
    );
  });
});

// Shared by the referee tests: Confluent's Python client on one side, our Trigger and Producer on
// the other, on the real broker and registry. Values travel as tagged JSON (see referee.py).
import type { INodeExecutionData } from 'n8n-workflow';
import { facts } from '../../setup/facts';
import { referee } from '../../setup/python';
import { createTopic, emittedItems, openAdmin, runProducer, startTrigger, unique } from '../trigger/harness';
import { waitFor } from '../../helpers/n8nContext';

export type Tagged = unknown;
export type Strategy = 'topicName' | 'recordName' | 'topicRecordName';
export const STRATEGIES: Strategy[] = ['topicName', 'recordName', 'topicRecordName'];

export interface SideSpec {
  format: 'AVRO' | 'JSON' | 'PROTOBUF';
  schema: string;
  strategy: Strategy;
  headerIds?: boolean;
}

export interface Written {
  key: string | null;
  value: string | null;
  headers: Array<[string, string | null]>;
  partition: number;
  offset: number;
}

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Tagged test value → the natural JSON our Trigger emits (and our Producer accepts). */
export function natural(value: Tagged): unknown {
  if (Array.isArray(value)) return value.map(natural);
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1 && entries[0][0].startsWith('$')) {
      const [tag, inner] = entries[0];
      if (tag === '$long') {
        const big = BigInt(inner as string);
        return big >= -SAFE && big <= SAFE ? Number(big) : big.toString();
      }
      return inner;
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, natural(v)]));
  }
  return value;
}

/** Tagged values compared by meaning: instants and times as microseconds (Python prints six digits). */
export function normalize(value: Tagged): unknown {
  if (Array.isArray(value)) return value.map(normalize);
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1 && entries[0][0].startsWith('$')) {
      const [tag, inner] = entries[0];
      if (tag === '$datetime') return { $micros: isoMicros(String(inner)) };
      if (tag === '$time') return { $timeMicros: timeMicros(String(inner)) };
      if (tag === '$uuid') return String(inner);
      // Python tags only the longs JSON cannot hold exactly; compare longs by value.
      if (tag === '$long') return natural(value);
      return { [tag]: inner };
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, normalize(v)]));
  }
  return value;
}

function isoMicros(text: string): string {
  const match = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?$/.exec(text);
  if (!match) return text;
  const [, whole, fraction = '', zone = 'Z'] = match;
  return `${BigInt(Date.parse(`${whole}${zone}`)) * 1000n + BigInt((fraction + '000000').slice(0, 6))}`;
}

function timeMicros(text: string): string {
  const [h, m, rest] = text.split(':');
  const [s, fraction = ''] = rest.split('.');
  return `${((Number(h) * 60 + Number(m)) * 60 + Number(s)) * 1_000_000 + Number((fraction + '000000').slice(0, 6))}`;
}

/** A fresh topic (the broker does not create topics on first use). */
export async function newTopic(prefix: string, partitions = 1): Promise<string> {
  const admin = await openAdmin();
  const topic = unique(prefix);
  try {
    await createTopic(admin, topic, partitions).catch(async (error: Error) => {
      // kafkajs' waitForLeaders gives up on UNKNOWN_TOPIC_OR_PARTITION while a loaded broker is still
      // propagating the new topic: wait for its leader instead.
      if (!/does not host this topic-partition/.test(error.message)) throw error;
      await waitFor(
        async () => {
          const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
          return topics[0]?.partitions.length > 0 && topics[0].partitions.every((p) => p.leader >= 0);
        },
        { timeoutMs: 30_000, what: `a leader for ${topic}` },
      );
    });
    return topic;
  } finally {
    await admin.disconnect();
  }
}

/** Python serializes key and value with Confluent's serializers and produces them. */
export async function pythonProduce(topic: string, key: SideSpec | null, value: SideSpec, records: Array<{ key: Tagged; value: Tagged }>): Promise<Written[]> {
  const { records: written } = await referee<{ records: Written[] }>('serialize-produce', {
    bootstrap: facts.bootstrap,
    registry: facts.schemaRegistryUrl,
    topic,
    key,
    value,
    records: records.map((r) => ({ ...r, partition: 0 })),
  });
  return written;
}

/** Python reads the topic from the start and decodes with Confluent's deserializers. */
export async function pythonConsume(topic: string, count: number, key: SideSpec | null, value: SideSpec) {
  const { messages } = await referee<{ messages: Array<Record<string, any>> }>('consume-deserialize', {
    bootstrap: facts.bootstrap,
    registry: facts.schemaRegistryUrl,
    topic,
    group: unique('referee'),
    count,
    key,
    value,
    timeoutSeconds: 60,
  });
  return messages;
}

/** Our Trigger (Schema Registry key and value) reads `count` items from the start of the topic. */
export async function triggerRead(topic: string, count: number, options: { keyFormat?: string; logicalTypes?: 'natural' | 'raw' } = {}): Promise<INodeExecutionData[]> {
  const trigger = await startTrigger(
    {
      topicSelection: 'names',
      topics: topic,
      groupId: unique('referee-trigger'),
      startFrom: 'earliest',
      deliveryMode: 'afterSuccess',
      valueFormat: 'schemaRegistry',
      keyFormat: options.keyFormat ?? 'schemaRegistry',
      options: { batchSize: 50, batchWindowMs: 100, logicalTypes: options.logicalTypes ?? 'natural' },
    },
    () => 'success',
  );
  try {
    await waitFor(() => emittedItems(trigger.context).length >= count, { timeoutMs: 60_000, what: `${count} trigger items from ${topic}` });
  } finally {
    await trigger.close();
  }
  return emittedItems(trigger.context);
}

const SERIALIZATION = { AVRO: 'avro', JSON: 'jsonSchema', PROTOBUF: 'protobuf' } as const;

/** Our Producer sends the items unchanged: value from the field `value`, key from `key` (both as the Trigger emitted them). */
export async function producerSend(topic: string, items: INodeExecutionData[], key: SideSpec | null, value: SideSpec, extra: Record<string, unknown> = {}, runOptions: { continueOnFail?: boolean } = {}) {
  const parameters = (name: string, itemIndex: number): unknown => {
    const item = items[itemIndex];
    const table: Record<string, unknown> = {
      topic,
      valueSource: 'field',
      valueField: 'value',
      serialization: SERIALIZATION[value.format],
      subjectStrategy: value.strategy,
      schemaSource: 'schema',
      schemaText: value.schema,
      autoRegister: true,
      key: key ? item.json.key : '',
      keySerialization: key ? SERIALIZATION[key.format] : 'string',
      keySubjectStrategy: key?.strategy,
      keySchemaSource: 'schema',
      keySchemaText: key?.schema,
      keyAutoRegister: true,
      headersMode: 'none',
      partitioning: 'explicit',
      partition: 0,
      options: { acks: 'all', ...(value.headerIds ? { schemaIdLocation: 'header' } : {}) },
      ...extra,
    };
    if (name.startsWith('options.')) return (table.options as Record<string, unknown>)[name.slice(8)];
    return table[name];
  };
  return runProducer(parameters, items, runOptions);
}

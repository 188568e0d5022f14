// kafkajs helpers for the end-to-end tests (talking to the broker directly, outside n8n).
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Admin, type IHeaders, type KafkaMessage } from 'kafkajs';
import { brokers, waitFor } from './n8n';

export function kafka(): Kafka {
  return new Kafka({ clientId: 'kafka-suite-e2e', brokers: brokers().split(','), logLevel: logLevel.NOTHING });
}

export const uniqueName = (prefix: string): string => `e2e-${prefix}-${randomUUID().slice(0, 8)}`;

export async function createTopics(names: string[], partitions = 1): Promise<void> {
  const admin: Admin = kafka().admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: names.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })), waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

export interface Received {
  key: string | null;
  value: string | null;
  valueBuffer: Buffer | null;
  headers: Record<string, string>;
  partition: number;
  offset: string;
}

const headersToText = (h: IHeaders | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(h ?? {}).map(([k, v]) => [k, Buffer.isBuffer(v) ? v.toString('utf8') : String(v)]));

/** Reads `count` messages from the beginning of a topic (fresh group), failing after `timeout` ms. */
export async function consume(topic: string, count: number, { timeout = 60000 } = {}): Promise<Received[]> {
  const consumer = kafka().consumer({ groupId: uniqueName('reader'), sessionTimeout: 10000, heartbeatInterval: 1000 });
  const got: Received[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message, partition }: { message: KafkaMessage; partition: number }) => {
        got.push({
          key: message.key ? message.key.toString('utf8') : null,
          value: message.value ? message.value.toString('utf8') : null,
          valueBuffer: message.value ?? null,
          headers: headersToText(message.headers),
          partition,
          offset: message.offset,
        });
      },
    });
    await waitFor(() => got.length >= count, { timeout, interval: 200, what: `${count} messages on ${topic} (got ${got.length})` });
  } finally {
    await consumer.disconnect();
  }
  return got;
}

export async function produce(topic: string, messages: Array<{ key?: string; value: string; headers?: Record<string, string> }>): Promise<void> {
  const producer = kafka().producer();
  await producer.connect();
  try {
    await producer.send({ topic, messages });
  } finally {
    await producer.disconnect();
  }
}

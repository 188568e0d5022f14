// Independent verification for the fault tests: reads a topic end to end with plain kafkajs (not
// through nodes/shared/, so an adapter bug cannot hide a lost message) and counts every value.
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { waitFor } from '../../helpers/n8nContext';

export interface TopicContents {
  /** value (utf8) -> how many times it is on the topic */
  counts: Map<string, number>;
  total: number;
}

export async function readWholeTopic(bootstrap: string, topic: string, timeoutMs = 60_000): Promise<TopicContents> {
  const kafka = new Kafka({ clientId: `fault-verify-${randomUUID().slice(0, 8)}`, brokers: [bootstrap], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const consumer = kafka.consumer({ groupId: `fault-verify-${randomUUID()}` });
  const counts = new Map<string, number>();
  // The reader itself may see a batch twice (a rebalance before its first commit): count each
  // (partition, offset) once, so only copies on the log count as duplicates.
  const seen = new Set<string>();
  let total = 0;
  try {
    await admin.connect();
    const ends = await admin.fetchTopicOffsets(topic);
    const remaining = new Map(ends.filter((p) => Number(p.high) > Number(p.low)).map((p) => [p.partition, Number(p.high)]));
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) {
          const position = `${batch.partition}:${message.offset}`;
          if (seen.has(position)) continue;
          seen.add(position);
          const value = message.value?.toString('utf8') ?? '';
          counts.set(value, (counts.get(value) ?? 0) + 1);
          total++;
        }
        // The batch's last offset counts its control records too: a transactional topic ends with a
        // commit or abort marker, which is never a message.
        if (Number(batch.lastOffset()) + 1 >= (remaining.get(batch.partition) ?? Infinity)) remaining.delete(batch.partition);
      },
    });
    await waitFor(() => remaining.size === 0, { timeoutMs, what: `reading ${topic} to its end` });
    return { counts, total };
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
}

export async function createTopic(bootstrap: string, topic: string, numPartitions: number): Promise<void> {
  const kafka = new Kafka({ clientId: 'fault-admin', brokers: [bootstrap], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions, replicationFactor: 1 }], waitForLeaders: true });
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** Writes `count` messages with values `${prefix}${i}` using plain kafkajs (test input, not under test). */
export async function fillTopic(bootstrap: string, topic: string, values: string[]): Promise<void> {
  const kafka = new Kafka({ clientId: 'fault-fill', brokers: [bootstrap], logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  try {
    await producer.connect();
    for (let i = 0; i < values.length; i += 1000) {
      await producer.send({ topic, messages: values.slice(i, i + 1000).map((value) => ({ value })) });
    }
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
}

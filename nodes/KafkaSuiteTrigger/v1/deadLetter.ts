import { toKafkaSuiteError } from '../../shared';
import type { ConsumedRecord, GroupMemberMetadata, KafkaConnection, OutgoingHeaders, OutgoingRecord, SendOptions } from '../../shared/kafka/api';

export interface DeadLetterContext {
  topic: string;
  partition: number;
  groupId: string;
  error: string;
  attempts: number;
  executionId?: string;
}

export const DLQ_HEADER_PREFIX = 'kafka-suite-';

const ALL_REPLICAS: SendOptions = { acks: -1, timeoutMs: 30_000, compression: 'none' };

/**
 * The dead-letter copy of a message: its original key, value and headers, plus why and where it
 * failed. Our headers are prefixed so they never collide with the producer's own.
 */
export function deadLetterMessage(message: ConsumedRecord, context: DeadLetterContext): Omit<OutgoingRecord, 'topic'> {
  const headers: OutgoingHeaders = {};
  const nullHeaders: string[] = [];
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    // kafkajs cannot write a null header value: it goes as empty bytes and its name is recorded.
    // Entries that are not header values (a record built by hand) are dropped, never sent.
    const values = (Array.isArray(value) ? value : [value]).filter((single: unknown) => single === null || Buffer.isBuffer(single) || typeof single === 'string');
    if (!values.length) continue;
    if (values.some((single) => single === null)) nullHeaders.push(name);
    const written = values.map((single) => single ?? Buffer.alloc(0)) as Buffer[];
    Object.defineProperty(headers, name, { value: written.length === 1 ? written[0] : written, enumerable: true, writable: true, configurable: true });
  }
  const add = (name: string, value: string | number | undefined) => {
    if (value !== undefined) headers[`${DLQ_HEADER_PREFIX}${name}`] = String(value);
  };
  add('error', context.error.slice(0, 4000));
  add('attempts', context.attempts);
  add('execution-id', context.executionId ?? 'unknown');
  add('original-topic', context.topic);
  add('original-partition', context.partition);
  add('original-offset', message.offset);
  add('original-timestamp', message.timestamp);
  add('group-id', context.groupId);
  if (nullHeaders.length) add('null-headers', nullHeaders.join(','));
  return { key: message.key ?? null, value: message.value ?? null, headers, timestamp: message.timestamp };
}

export interface DeadLetterTransaction {
  transactionalId: string;
  groupId: string;
  /** The next offset to read once the dead-lettered records count as handled. */
  nextOffset: string;
  member?: GroupMemberMetadata;
}

/**
 * Writes records to the dead-letter topic. With `transaction` (exactly-once), the copies and moving
 * the group past the originals commit together, or neither does.
 */
export async function sendDeadLetters(connection: KafkaConnection, deadLetterTopic: string, records: Array<Omit<OutgoingRecord, 'topic'>>, transaction?: DeadLetterTransaction & { topic: string; partition: number }): Promise<void> {
  const outgoing = records.map((record) => ({ ...record, topic: deadLetterTopic }));
  if (!transaction) {
    await connection.withProducer({ idempotent: true }, (producer) => producer.send(outgoing, ALL_REPLICAS));
    return;
  }
  const { transactionalId, groupId, topic, partition, nextOffset, member } = transaction;
  // The failure is returned, not thrown, through the pool: a refused transaction (already aborted
  // by transaction()) is no reason to retire the producer.
  const failure = await connection.withProducer({ idempotent: true, transactionalId }, async (producer): Promise<unknown> => {
    try {
      await producer.transaction(async (tx) => {
        await tx.send(outgoing, ALL_REPLICAS);
        await tx.sendOffsets(groupId, [{ topic, partition, offset: nextOffset }], member);
      });
      return undefined;
    } catch (cause) {
      return cause ?? new Error('dead-letter transaction failed');
    }
  });
  if (failure !== undefined) throw toKafkaSuiteError(failure);
}

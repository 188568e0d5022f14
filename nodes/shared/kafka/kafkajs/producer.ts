// KafkaProducer (api.ts) on a kafkajs Producer: records, headers, acks and compression mapped both ways.
import { compressionType } from './codecs';
import type { IHeaders, Message, Producer, RecordMetadata, Transaction } from './vendor';
import type { GroupMemberMetadata, KafkaProducer, OutgoingHeaders, OutgoingRecord, SendOptions, SentRecordBatch, TopicPartitionOffset, TransactionScope } from '../api';

function toHeaders(headers: OutgoingHeaders | undefined): IHeaders | undefined {
  if (!headers) return undefined;
  // kafkajs writes strings as UTF-8 and skips undefined; a null value goes on the wire as a null header.
  return headers as unknown as IHeaders;
}

function toMessage(record: OutgoingRecord): Message {
  const message: Message = { key: record.key ?? null, value: record.value, headers: toHeaders(record.headers) };
  if (record.partition !== undefined) message.partition = record.partition;
  if (record.timestamp !== undefined) message.timestamp = record.timestamp;
  return message;
}

/** Groups records by topic in their given order (kafkajs keeps per-partition order within a request). */
function topicMessages(records: OutgoingRecord[]): Array<{ topic: string; messages: Message[] }> {
  const byTopic = new Map<string, Message[]>();
  for (const record of records) {
    let list = byTopic.get(record.topic);
    if (!list) byTopic.set(record.topic, (list = []));
    list.push(toMessage(record));
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}

function fromMetadata(metadata: RecordMetadata[]): SentRecordBatch[] {
  return metadata.map((meta) => ({
    topic: meta.topicName,
    partition: meta.partition,
    ...(meta.baseOffset !== undefined && meta.baseOffset !== null ? { baseOffset: String(meta.baseOffset) } : {}),
    ...(meta.logAppendTime && meta.logAppendTime !== '-1' ? { logAppendTime: String(meta.logAppendTime) } : {}),
  }));
}

type BatchSender = Pick<Producer, 'sendBatch'>;
function sendWith(sender: BatchSender, records: OutgoingRecord[], options: SendOptions): Promise<SentRecordBatch[]> {
  return sender
    .sendBatch({ acks: options.acks, timeout: options.timeoutMs, compression: compressionType(options.compression), topicMessages: topicMessages(records) })
    .then(fromMetadata);
}

export function offsetsRequest(groupId: string, offsets: TopicPartitionOffset[]) {
  const byTopic = new Map<string, Array<{ partition: number; offset: string }>>();
  for (const o of offsets) byTopic.set(o.topic, [...(byTopic.get(o.topic) ?? []), { partition: o.partition, offset: o.offset }]);
  return { consumerGroupId: groupId, topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })) };
}

function transactionScope(transaction: Transaction): TransactionScope {
  return {
    send: (records, options) => sendWith(transaction, records, options),
    // kafkajs 2.2.4 speaks TxnOffsetCommit v0, which has no generation or member id: `member` cannot be
    // passed on (KIP-447 fencing needs the newer client).
    sendOffsets: async (groupId: string, offsets: TopicPartitionOffset[], _member?: GroupMemberMetadata) => {
      await transaction.sendOffsets(offsetsRequest(groupId, offsets));
    },
  };
}

export function kafkajsProducer(producer: Producer): KafkaProducer {
  return {
    send: (records, options) => sendWith(producer, records, options),
    async transaction(work) {
      const transaction = await producer.transaction();
      let result;
      try {
        result = await work(transactionScope(transaction));
        await transaction.commit();
      } catch (error) {
        // The transaction's own failure is the one the caller needs; a failing abort adds nothing.
        await transaction.abort().catch(() => undefined);
        throw error;
      }
      return result;
    },
  };
}

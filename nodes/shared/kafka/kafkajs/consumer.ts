// The suite's consumer (api.ts: KafkaConsumer) on kafkajs: its eachBatch loop with automatic
// commits off, so the caller decides what is committed and when; per-partition pause/resume; seeks
// applied on assignment; crashes split into the ones kafkajs recovers from and the ones it does not.
import { KafkaSuiteError } from '../../errors';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from './vendor';
import type { ConsumedRecord, ConsumerEvents, ConsumerOptions, KafkaConsumer, PartitionBatch, ReceivedHeaderValue, ReceivedHeaders } from '../api';

const isHeaderValue = (value: unknown): value is Buffer | null => value === null || Buffer.isBuffer(value);

/**
 * kafkajs builds the header object with `obj[name] === undefined` checks, so a header named like an
 * Object.prototype member (`__proto__`, `constructor`) arrives as [prototype member, value]: only
 * real header values are kept, and every name becomes an own property (never a prototype change).
 */
export function receivedHeaders(headers: KafkaMessage['headers']): ReceivedHeaders {
  const out: ReceivedHeaders = {};
  if (!headers) return out;
  for (const name of Object.keys(headers)) {
    const raw: unknown = (headers as Record<string, unknown>)[name];
    let value: ReceivedHeaderValue | undefined;
    if (Array.isArray(raw)) {
      const kept = raw.filter(isHeaderValue);
      value = kept.length === raw.length ? kept : kept.length === 1 ? kept[0] : kept.length ? kept : undefined;
    } else if (isHeaderValue(raw)) {
      value = raw;
    } else if (typeof raw === 'string') {
      value = Buffer.from(raw);
    }
    if (value === undefined) continue;
    Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

export function consumedRecord(topic: string, partition: number, message: KafkaMessage): ConsumedRecord {
  return {
    topic,
    partition,
    offset: message.offset,
    timestamp: message.timestamp,
    key: message.key ?? null,
    value: message.value ?? null,
    headers: receivedHeaders(message.headers),
  };
}

function partitionBatch(payload: EachBatchPayload): PartitionBatch {
  const { batch, heartbeat, isRunning, isStale, commitOffsetsIfNecessary, resolveOffset, pause } = payload;
  const { topic, partition } = batch;
  return {
    topic,
    partition,
    records: batch.messages.map((message) => consumedRecord(topic, partition, message)),
    highWatermark: batch.highWatermark,
    heartbeat,
    isActive: () => isRunning() && !isStale(),
    commit: (offset) => commitOffsetsIfNecessary({ topics: [{ topic, partitions: [{ partition, offset }] }] }),
    markHandled: (offset) => resolveOffset(offset),
    pause,
    // kafkajs keeps the generation id private and has no KIP-447 (sendOffsets cannot carry it).
    member: () => undefined,
  };
}

export function createKafkajsConsumer(kafka: Kafka, options: ConsumerOptions): KafkaConsumer {
  if (options.groupProtocol === 'consumer') {
    throw new KafkaSuiteError('The consumer group protocol "consumer" (KIP-848) is not available with the kafkajs client: use the classic protocol', {
      kind: 'config',
      context: { field: 'groupProtocol' },
    });
  }
  let consumer: Consumer | undefined;
  let stopping: Promise<void> | undefined;

  const build = (): Consumer =>
    kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: options.sessionTimeoutMs,
      rebalanceTimeout: options.rebalanceTimeoutMs,
      heartbeatInterval: options.heartbeatIntervalMs,
      maxBytesPerPartition: options.maxBytesPerPartition,
      maxBytes: options.maxBytes,
      minBytes: options.minBytes,
      maxWaitTimeInMs: options.maxWaitMs,
      readUncommitted: options.readCommitted === false,
      allowAutoTopicCreation: false,
    });

  return {
    async start(handler, events: ConsumerEvents = {}) {
      if (stopping) throw new KafkaSuiteError('The consumer was stopped', { kind: 'config' });
      const c = build();
      consumer = c;
      c.on(c.events.GROUP_JOIN, (event) => {
        const assignment = (event.payload as { memberAssignment?: Record<string, number[]> }).memberAssignment ?? {};
        events.assigned?.(Object.entries(assignment).map(([topic, partitions]) => ({ topic, partitions })));
      });
      c.on(c.events.CRASH, (event) => {
        const { error, restart } = event.payload as { error: Error; restart: boolean };
        // restart: kafkajs rebuilds its runner itself (a broker restarting, a rebalance).
        if (restart) events.recovering?.(error);
        else events.crashed?.(error);
      });
      try {
        await c.connect();
        await c.subscribe({ topics: Array.isArray(options.topics) ? options.topics : [options.topics], fromBeginning: options.fromBeginning });
        await c.run({
          autoCommit: false,
          eachBatchAutoResolve: false,
          partitionsConsumedConcurrently: Math.max(1, options.concurrency),
          eachBatch: (payload) => handler(partitionBatch(payload)),
        });
      } catch (error) {
        await c.disconnect().catch(() => undefined);
        throw error;
      }
    },
    seek(topic, partition, offset) {
      if (!consumer) throw new KafkaSuiteError('seek before the consumer started', { kind: 'config' });
      consumer.seek({ topic, partition, offset });
    },
    stop() {
      stopping ??= (async () => {
        await consumer?.disconnect();
      })();
      return stopping;
    },
  };
}

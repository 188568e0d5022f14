import type {
  GroupMemberMetadata,
  KafkaProducer,
  OutgoingHeaders,
  OutgoingRecord,
  SendOptions,
  SentRecordBatch,
  TopicPartitionOffset,
  TransactionScope,
} from '../api';
import { KafkaSuiteError, type KafkaErrorContext } from '../../errors';
import { libraryMap, loadPlatformatic } from './load';
import { toSuiteError } from './options';
import type { MessageToProduce, Producer } from './vendor';

type LibraryProducer = Producer<Buffer, Buffer, Buffer, Buffer>;
type LibraryTransaction = Awaited<ReturnType<LibraryProducer['beginTransaction']>>;

const toBuffer = (value: Buffer | string): Buffer => (Buffer.isBuffer(value) ? value : Buffer.from(value, 'utf8'));

/**
 * Headers as a Map keyed by distinct Buffer objects: the library writes every entry, so a name given
 * several values is sent several times (a Record could hold one value per name).
 */
export function toLibraryHeaders(headers: OutgoingHeaders | undefined): Map<Buffer, Buffer> | undefined {
  if (!headers) return undefined;
  const map: Map<Buffer, Buffer> = new (libraryMap())();
  for (const [name, value] of Object.entries(headers)) {
    for (const one of Array.isArray(value) ? value : [value]) {
      // The library writes a null header value as Kafka's null (length -1).
      map.set(Buffer.from(name, 'utf8'), (one === null ? null : toBuffer(one)) as Buffer);
    }
  }
  return map;
}

/**
 * Java's partitioner (and kafkajs' DefaultPartitioner): keyed records go to
 * toPositive(murmur2(key)) % partitions; the library applies the modulo. Keyless records round-robin
 * per topic, as kafkajs does: the library's compatibilityPartitioner alone sends them all to partition 0.
 */
export function createJavaCompatiblePartitioner(): (message: MessageToProduce<Buffer, Buffer, Buffer, Buffer>, key: Buffer | undefined) => number {
  const { compatibilityPartitioner } = loadPlatformatic();
  const next = new Map<string, number>();
  return (message, key) => {
    if (Buffer.isBuffer(key)) return compatibilityPartitioner(message, key);
    const counter = next.get(message.topic) ?? 0;
    next.set(message.topic, (counter + 1) & 0x7fffffff);
    return counter;
  };
}

function toMessages(records: OutgoingRecord[]): Array<MessageToProduce<Buffer, Buffer, Buffer, Buffer>> {
  return records.map((record) => {
    const message: MessageToProduce<Buffer, Buffer, Buffer, Buffer> = {
      topic: record.topic,
      // The library's record writer writes null as Kafka's null (a tombstone value, a keyless record).
      value: (record.value === null ? null : toBuffer(record.value)) as Buffer,
    };
    if (record.key !== undefined && record.key !== null) message.key = toBuffer(record.key);
    if (record.partition !== undefined) message.partition = record.partition;
    if (record.timestamp !== undefined) message.timestamp = BigInt(record.timestamp);
    const headers = toLibraryHeaders(record.headers);
    if (headers) message.headers = headers;
    return message;
  });
}

/**
 * The library wraps an explicit partition the topic does not have (partition %= count) instead of
 * refusing it: partition 5 of a 3-partition topic would silently land on 2. Refuse it as kafkajs does.
 */
async function checkExplicitPartitions(producer: LibraryProducer, records: OutgoingRecord[]): Promise<void> {
  const explicit = records.filter((r) => r.partition !== undefined);
  if (!explicit.length) return;
  const metadata = await producer.metadata({ topics: [...new Set(explicit.map((r) => r.topic))] });
  for (const record of explicit) {
    const count = metadata.topics.get(record.topic)?.partitionsCount ?? 0;
    if (!Number.isInteger(record.partition) || record.partition! < 0 || record.partition! >= count) {
      throw new KafkaSuiteError(`Topic "${record.topic}" has no partition ${record.partition} (it has ${count})`, {
        kind: 'config',
        context: { topic: record.topic, partition: record.partition },
      });
    }
  }
}

function toBatches(result: { offsets?: Array<{ topic: string; partition: number; offset: bigint }> }): SentRecordBatch[] {
  return (result.offsets ?? []).map((o) => ({ topic: o.topic, partition: o.partition, baseOffset: o.offset.toString() }));
}

/**
 * The library sets the produce request's broker-side timeout once per client (its `timeout` option),
 * not per send: the send's own timeoutMs is enforced here as a deadline on the answer.
 */
async function withDeadline<T>(timeoutMs: number, work: Promise<T>): Promise<T> {
  if (!(timeoutMs > 0)) return work;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new KafkaSuiteError(`Kafka did not acknowledge the send within ${timeoutMs} ms`, { kind: 'timeout', retriable: true })),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

export interface PlatformaticProducerDeps {
  producer: LibraryProducer;
  context: KafkaErrorContext;
  /** The broker id coordinating `groupId` (TxnOffsetCommit goes there). */
  groupCoordinator(groupId: string): Promise<number>;
}

export class PlatformaticProducer implements KafkaProducer {
  constructor(private readonly deps: PlatformaticProducerDeps) {}

  async send(records: OutgoingRecord[], options: SendOptions): Promise<SentRecordBatch[]> {
    if (!records.length) return [];
    const { producer, context } = this.deps;
    try {
      await checkExplicitPartitions(producer, records);
      const result = await withDeadline(
        options.timeoutMs,
        producer.send({ messages: toMessages(records), acks: options.acks, compression: options.compression }),
      );
      return toBatches(result);
    } catch (error) {
      throw toSuiteError(error, { ...context, topic: records[0].topic });
    }
  }

  async transaction<R>(work: (tx: TransactionScope) => Promise<R>): Promise<R> {
    const { producer, context } = this.deps;
    let tx: LibraryTransaction;
    try {
      tx = await producer.beginTransaction();
    } catch (error) {
      throw toSuiteError(error, context);
    }
    const scope: TransactionScope = {
      send: async (records, options) => {
        if (!records.length) return [];
        try {
          await checkExplicitPartitions(producer, records);
          return toBatches(await withDeadline(options.timeoutMs, tx.send({ messages: toMessages(records), acks: -1, compression: options.compression })));
        } catch (error) {
          throw toSuiteError(error, { ...context, topic: records[0].topic });
        }
      },
      sendOffsets: (groupId, offsets, member) => this.sendOffsets(tx, groupId, offsets, member),
    };
    let result: R;
    try {
      result = await work(scope);
      await tx.commit();
    } catch (error) {
      if (!tx.completed) await tx.abort().catch(() => undefined);
      throw toSuiteError(error, context);
    }
    return result;
  }

  /**
   * AddOffsetsToTxn then TxnOffsetCommit per partition, with the group's generation and member id when
   * given (KIP-447: the coordinator refuses a commit from a stale generation, fencing a zombie), else
   * generation -1 / no member (the pre-KIP-447 commit, not fenced by group membership).
   */
  private async sendOffsets(tx: LibraryTransaction, groupId: string, offsets: TopicPartitionOffset[], member?: GroupMemberMetadata): Promise<void> {
    const { context } = this.deps;
    try {
      // The library only reads the consumer's groupId here.
      await tx.addConsumer({ groupId } as never);
      const coordinatorId = await this.deps.groupCoordinator(groupId);
      for (const o of offsets) {
        // The library commits message.offset + 1; ours is the next offset to read already.
        await tx.addOffset({
          topic: o.topic,
          partition: o.partition,
          offset: BigInt(o.offset) - 1n,
          metadata: { consumer: { groupId, coordinatorId, generationId: member?.generationId ?? -1, memberId: member?.memberId ?? '' } },
        } as never);
      }
    } catch (error) {
      throw toSuiteError(error, { ...context, group: groupId });
    }
  }
}

import { hostname } from 'node:os';
import { sleep, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import {
  KafkaSuiteError,
  SchemaRegistryClient,
  registryClientFor,
  getClusterCredential,
  getRegistryCredential,
  itemFailure,
  locatorValue,
  openConnection,
  partitionForKey,
  recordTransactionalOffset,
  toKafkaSuiteError,
  toNodeError,
  type CompressionName,
  type GroupMemberMetadata,
  type KafkaClusterCredential,
  type KafkaConnection,
  type OutgoingHeaders,
  type OutgoingRecord,
  type SendOptions as RecordSendOptions,
  type SentRecordBatch,
  type TopicPartitionOffset,
  type TransactionScope,
} from '../../../shared';
import { BATCH_OVERHEAD_BYTES, RECORD_OVERHEAD_BYTES, planRequests, roundRobinFor, type RoundRobin } from '../batching';
import { headersFromJson, headersFromList, headersSize, type HeaderEntry } from '../headers';
import {
  REGISTRY_FORMATS,
  pickValue,
  plainKey,
  plainValue,
  serializeKey,
  serializeValue,
  timestampToWire,
  type KeySerialization,
  type RegistrySettings,
  type Serialization,
  type ValueSource,
} from '../serialize';
import { describeTopics, forgetTopics, unknownTopicError, type TopicInfo } from '../topics';
import { itemParameters, type ItemParameters } from '../parameters';
import { incomingTrace, nextTraceparent } from '../traceContext';

export interface SendOptions {
  acks?: 'all' | 'leader' | 'none';
  compression?: CompressionName;
  idempotent?: boolean;
  maxBatchSize?: number;
  timeout?: number;
  timestamp?: string;
  traceContext?: boolean;
  transactional?: boolean;
  transactionalId?: string;
  commitConsumedOffsets?: boolean;
  sourceField?: string;
  schemaIdLocation?: 'prefix' | 'header';
}

interface Prepared {
  itemIndex: number;
  topic: string;
  message: OutgoingRecord & { timestamp: string };
  partitioning: 'keyHash' | 'roundRobin' | 'explicit';
  bytes: number;
  schemaId?: number;
  subject?: string;
}

interface SourceOffset {
  groupId: string;
  topic: string;
  partition: number;
  offset: string;
  /** The consuming member (KIP-447), when the Trigger's client library knows it. */
  member?: GroupMemberMetadata;
}

interface GroupOffsets {
  partitions: Map<string, { topic: string; partition: number; next: bigint }>;
  /** The newest generation among the items' members: an older one would be refused anyway. */
  member?: GroupMemberMetadata;
}

function memberOf(source: SourceOffset): GroupMemberMetadata | undefined {
  const member = source.member;
  if (!member || typeof member !== 'object' || typeof member.memberId !== 'string' || !Number.isInteger(member.generationId)) return undefined;
  return { generationId: member.generationId, memberId: member.memberId, ...(typeof member.groupInstanceId === 'string' ? { groupInstanceId: member.groupInstanceId } : {}) };
}

const ACKS = { all: -1, leader: 1, none: 0 } as const;

function configError(message: string, field: string): KafkaSuiteError {
  return new KafkaSuiteError(message, { kind: 'config', context: { field } });
}

function bufferLength(value: Buffer | string | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return Buffer.isBuffer(value) ? value.length : Buffer.byteLength(value);
}

/** The Schema Registry parameters of the value (prefix '') or of the key (prefix 'key'). */
function registrySettings(params: ItemParameters, itemIndex: number, prefix: '' | 'key', serialization: string): RegistrySettings {
  const name = (base: string) => (prefix ? `${prefix}${base[0].toUpperCase()}${base.slice(1)}` : base);
  return {
    strategy: params.getNodeParameter(name('subjectStrategy'), itemIndex, 'topicName') as RegistrySettings['strategy'],
    schemaSource: params.getNodeParameter(name('schemaSource'), itemIndex, 'latest') as RegistrySettings['schemaSource'],
    version: params.getNodeParameter(name('schemaVersion'), itemIndex, 1) as number,
    schemaText: params.getNodeParameter(name('schemaText'), itemIndex, '') as string,
    autoRegister: params.getNodeParameter(name('autoRegister'), itemIndex, false) as boolean,
    recordName: params.getNodeParameter(name('recordName'), itemIndex, '') as string,
    messageName: serialization === 'protobuf' ? (params.getNodeParameter(name('protobufMessage'), itemIndex, '') as string) : undefined,
  };
}

async function prepareItem(
  ctx: IExecuteFunctions,
  params: ItemParameters,
  itemIndex: number,
  item: INodeExecutionData,
  registry: () => Promise<SchemaRegistryClient>,
): Promise<Prepared> {
  const topic = locatorValue(params, 'topic', itemIndex);
  if (!topic) throw configError('Topic is empty', 'topic');
  const source = params.getNodeParameter('valueSource', itemIndex, 'json') as ValueSource;

  // The options collection read once per item (its Schema ID Location too), and once per execution when it holds no expression.
  const itemOptions = (params.getNodeParameter('options', itemIndex, {}) ?? {}) as SendOptions & { schemaIdLocation?: 'prefix' | 'header' };
  const schemaIdIn = itemOptions.schemaIdLocation ?? 'prefix';
  const idHeaders: Array<{ name: string; value: Buffer }> = [];
  let value: Buffer | string | null;
  let schemaId: number | undefined;
  let subject: string | undefined;
  if (source === 'binary') {
    const property = params.getNodeParameter('binaryPropertyName', itemIndex, 'data') as string;
    ctx.helpers.assertBinaryData(itemIndex, property);
    value = await ctx.helpers.getBinaryDataBuffer(itemIndex, property);
  } else {
    const serialization = params.getNodeParameter('serialization', itemIndex, 'json') as Serialization;
    const raw = pickValue(
      item.json,
      source,
      source === 'field' ? (params.getNodeParameter('valueField', itemIndex, '') as string) : '',
      source === 'string' ? params.getNodeParameter('valueString', itemIndex, '') : undefined,
    );
    const settings = REGISTRY_FORMATS[serialization] ? registrySettings(params, itemIndex, '', serialization) : undefined;
    // JSON and string need no registry: serialised without a promise per item.
    const serialized = plainValue(raw, serialization) ?? (await serializeValue(raw, serialization, { topic, registry: settings ? await registry() : undefined, settings, schemaIdIn }));
    ({ value, schemaId, subject } = serialized);
    if (serialized.schemaIdHeader) idHeaders.push(serialized.schemaIdHeader);
  }

  const headersMode = params.getNodeParameter('headersMode', itemIndex, 'none') as 'none' | 'list' | 'json';
  let headers: OutgoingHeaders = {};
  if (headersMode === 'list') headers = headersFromList((params.getNodeParameter('headerList.header', itemIndex, []) as HeaderEntry[]) ?? []);
  else if (headersMode === 'json') headers = headersFromJson(params.getNodeParameter('headersJson', itemIndex, '{}'));
  if (itemOptions.traceContext && headers.traceparent === undefined) {
    headers = { ...headers, traceparent: nextTraceparent(incomingTrace(item.json)) };
  }

  const keySerialization = params.getNodeParameter('keySerialization', itemIndex, 'string') as KeySerialization;
  const keySettings = REGISTRY_FORMATS[keySerialization] ? registrySettings(params, itemIndex, 'key', keySerialization) : undefined;
  const rawKey = params.getNodeParameter('key', itemIndex, '');
  const serializedKey =
    plainKey(rawKey, keySerialization) ??
    (await serializeKey(rawKey, keySerialization, {
      topic,
      registry: keySettings ? await registry() : undefined,
      settings: keySettings,
      schemaIdIn,
    }));
  const key = serializedKey.value;
  if (serializedKey.schemaIdHeader) idHeaders.push(serializedKey.schemaIdHeader);
  // The schema id headers replace any of the same name the item brought along.
  for (const { name, value: idHeader } of idHeaders) headers = { ...headers, [name]: idHeader };
  const partitioning = params.getNodeParameter('partitioning', itemIndex, 'keyHash') as Prepared['partitioning'];
  const message: Prepared['message'] = {
    topic,
    key,
    value,
    headers: Object.keys(headers).length ? headers : undefined,
    timestamp: timestampToWire(itemOptions.timestamp),
  };
  if (partitioning === 'explicit') {
    const partition = Number(params.getNodeParameter('partition', itemIndex, 0));
    if (!Number.isInteger(partition) || partition < 0) throw configError(`Partition "${partition}" is not a partition number`, 'partition');
    message.partition = partition;
  }
  const bytes = bufferLength(key) + bufferLength(value) + headersSize(message.headers) + RECORD_OVERHEAD_BYTES;
  return { itemIndex, topic, message, partitioning, bytes, schemaId, subject };
}

/** Per topic and execution: the round-robin counters and the partitions an unkeyed message may go to, worked out once. */
interface TopicPlacement {
  info: TopicInfo;
  roundRobin: RoundRobin;
  unkeyed: RoundRobin;
  unkeyedCandidates: TopicInfo['partitions'];
}

function placementFor(info: TopicInfo, clusterScope: string): TopicPlacement {
  // No key: spread over the partitions that have a leader (all of them if none has).
  const live = info.partitions.filter((p) => p.leader >= 0);
  return {
    info,
    roundRobin: roundRobinFor(`${clusterScope}:${info.name}`),
    unkeyed: roundRobinFor(`${clusterScope}:${info.name}:unkeyed`),
    unkeyedCandidates: live.length ? live : info.partitions,
  };
}

/** Picks each message's partition here, not in the client, so the returned offsets can be matched to items exactly. */
function assignPartition(prepared: Prepared, placement: TopicPlacement): number {
  const { info } = placement;
  const count = info.partitions.length;
  if (prepared.partitioning === 'explicit') {
    const partition = prepared.message.partition as number;
    if (partition >= count) {
      throw new KafkaSuiteError(`Topic "${info.name}" has ${count} partition(s); partition ${partition} does not exist`, {
        kind: 'config',
        context: { topic: info.name, partition, field: 'partition' },
      });
    }
    return partition;
  }
  if (prepared.partitioning === 'roundRobin') return placement.roundRobin.next(count);
  const key = prepared.message.key;
  if (key !== null && key !== undefined) return partitionForKey(key, count);
  const candidates = placement.unkeyedCandidates;
  return candidates[placement.unkeyed.next(candidates.length)].partitionId;
}

function sourceOffsets(items: INodeExecutionData[], field: string): Map<string, GroupOffsets> {
  const byGroup = new Map<string, GroupOffsets>();
  for (const item of items) {
    const source = item.json[field] as SourceOffset | undefined;
    if (!source || typeof source !== 'object' || !source.groupId || !source.topic || source.offset === undefined) continue;
    const next = BigInt(source.offset) + 1n;
    const group: GroupOffsets = byGroup.get(source.groupId) ?? { partitions: new Map() };
    const key = `${source.topic}\u0000${source.partition}`;
    const known = group.partitions.get(key);
    if (!known || known.next < next) group.partitions.set(key, { topic: source.topic, partition: Number(source.partition), next });
    const member = memberOf(source);
    if (member && (!group.member || member.generationId > group.member.generationId)) group.member = member;
    byGroup.set(source.groupId, group);
  }
  return byGroup;
}

type SourceOffsets = ReturnType<typeof sourceOffsets>;
const ALREADY_COMMITTED = Symbol('already committed');
const CONCURRENT_TRANSACTION_ATTEMPTS = 30;

/**
 * Adds the consumed offsets to the transaction, then tells whether the group is already past every
 * one of them. Adding them first makes the coordinator finish this producer's previous transaction
 * (it answers CONCURRENT_TRANSACTIONS, which the client retries, until then), so a commit that was in
 * flight when an earlier attempt of these items failed (a broker dying during EndTxn) is visible
 * here: running them again would then duplicate their output, so the caller aborts instead.
 */
async function addOffsetsOrFindCommitted(connection: KafkaConnection, transaction: TransactionScope, offsets: SourceOffsets): Promise<boolean> {
  for (const [consumerGroupId, { partitions, member }] of offsets) {
    const request: TopicPartitionOffset[] = [...partitions.values()].map((p) => ({ topic: p.topic, partition: p.partition, offset: p.next.toString() }));
    // The client may not retry AddOffsetsToTxn itself; right after the previous commit the
    // coordinator answers CONCURRENT_TRANSACTIONS until that transaction's markers are written
    // (milliseconds, or the seconds a restarted coordinator needs to finish it).
    for (let attempt = 1; ; attempt++) {
      const failure = await transaction.sendOffsets(consumerGroupId, request, member).then(
        () => undefined,
        (error: unknown) => error ?? new Error('AddOffsetsToTxn failed'),
      );
      if (failure === undefined) break;
      const kafkaError = toKafkaSuiteError(failure);
      const concurrent = kafkaError.code === 'CONCURRENT_TRANSACTIONS' || (failure as { type?: string }).type === 'CONCURRENT_TRANSACTIONS';
      if (!concurrent || attempt >= CONCURRENT_TRANSACTION_ATTEMPTS) throw kafkaError;
      await sleep(Math.min(1000, 20 * 2 ** attempt));
    }
  }
  for (const [groupId, { partitions }] of offsets) {
    const topics = [...new Set([...partitions.values()].map((p) => p.topic))];
    const committed = await connection.withAdmin((admin) => admin.fetchOffsets(groupId, topics));
    for (const p of partitions.values()) {
      const at = committed.find((t) => t.topic === p.topic)?.partitions.find((c) => c.partition === p.partition)?.offset;
      if (at === undefined || Number(at) < 0 || BigInt(at) < p.next) return false;
    }
  }
  return true;
}

/**
 * Stable across restarts of the same host, so a restarted n8n fences its own unfinished
 * transactions; distinct per host, so queue-mode workers do not fence each other.
 */
function defaultTransactionalId(ctx: IExecuteFunctions): string {
  const workflow = ctx.getWorkflow();
  return `n8n-kafka-suite-${workflow.id ?? 'workflow'}-${ctx.getNode().id}-${hostname()}`;
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
  const items = this.getInputData();
  const cred: KafkaClusterCredential = await getClusterCredential(this);
  let connection: KafkaConnection;
  try {
    connection = openConnection(cred);
  } catch (error) {
    throw toNodeError(this.getNode(), error, 0);
  }
  const options = (this.getNodeParameter('options', 0, {}) ?? {}) as SendOptions;
  const acks = options.acks ?? 'all';
  const transactional = Boolean(options.transactional);
  const idempotent = transactional || (options.idempotent ?? true);
  if (idempotent && acks !== 'all') {
    throw toNodeError(this.getNode(), configError(`Acks "${acks}" cannot be used with the idempotent or transactional producer: switch Idempotent Producer off or use acks "all"`, 'acks'), 0);
  }
  if (options.commitConsumedOffsets && !transactional) {
    throw toNodeError(this.getNode(), configError('Commit Consumed Offsets needs the Transactional option', 'commitConsumedOffsets'), 0);
  }

  let registryClient: SchemaRegistryClient | undefined;
  const registry = async () => (registryClient ??= registryClientFor(await getRegistryCredential(this)));

  const failures = new Map<number, unknown>();
  const prepared: Prepared[] = [];
  // Per-item parameters: constants resolved once, expressions per item (./parameters.ts).
  const params = itemParameters(this);
  for (let i = 0; i < items.length; i++) {
    try {
      prepared.push(await prepareItem(this, params, i, items[i], registry));
    } catch (error) {
      failures.set(i, error);
    }
  }

  const topics = await describeTopics(connection, prepared.map((p) => p.topic));
  const clusterScope = connection.key;
  const placements = new Map<string, TopicPlacement>();
  const ready: Prepared[] = [];
  const compression = options.compression ?? 'none';
  for (const entry of prepared) {
    try {
      let placement = placements.get(entry.topic);
      if (!placement) {
        const info = topics.get(entry.topic);
        if (!info) throw unknownTopicError(entry.topic);
        placements.set(entry.topic, (placement = placementFor(info, clusterScope)));
      }
      const info = placement.info;
      entry.message.partition = assignPartition(entry, placement);
      // Uncompressed, the broker's limit applies to these bytes exactly; compressed, the broker decides.
      if (compression === 'none' && entry.bytes + BATCH_OVERHEAD_BYTES > info.maxMessageBytes) {
        throw new KafkaSuiteError(
          `The message is ${entry.bytes + BATCH_OVERHEAD_BYTES} bytes; topic "${entry.topic}" accepts at most ${info.maxMessageBytes} (max.message.bytes)`,
          { kind: 'serialization', context: { topic: entry.topic, field: 'value' } },
        );
      }
      ready.push(entry);
    } catch (error) {
      failures.set(entry.itemIndex, error);
    }
  }

  // Without continueOnFail the execution stops at the first bad item, before anything is sent.
  if (failures.size && !this.continueOnFail()) {
    const first = Math.min(...failures.keys());
    throw toNodeError(this.getNode(), failures.get(first), first);
  }

  const results = new Map<number, IDataObject>();
  const requests = planRequests(
    ready.map((p) => ({ topic: p.topic, partition: p.message.partition as number, bytes: p.bytes })),
    options.maxBatchSize ?? 500,
    (topic) => topics.get(topic)?.maxMessageBytes ?? Number.MAX_SAFE_INTEGER,
  ).map((indexes) => indexes.map((index) => ready[index]));
  const sendArgs: RecordSendOptions = { acks: ACKS[acks], compression, timeoutMs: options.timeout ?? 30_000 };

  // The last timestamp's ISO text: a request's messages share their send time (or the broker's append
  // time), so one Date per run of equal timestamps instead of one per item (test/bench/notes.md).
  let lastMs = Number.NaN;
  let lastIso = '';
  const isoOf = (ms: number): string => {
    if (ms !== lastMs) {
      lastIso = new Date(ms).toISOString();
      lastMs = ms;
    }
    return lastIso;
  };
  const record = (request: Prepared[], metadata: SentRecordBatch[]) => {
    // Per partition: the base offset of this request and how many of its messages came before.
    const partitions = new Map<string, Map<number, { base: number | bigint; appendTime: number | undefined; next: number }>>();
    for (const meta of metadata) {
      const base = BigInt(meta.baseOffset ?? '0');
      let byPartition = partitions.get(meta.topic);
      if (!byPartition) partitions.set(meta.topic, (byPartition = new Map()));
      byPartition.set(meta.partition, {
        // Plain numbers while exact (always, in practice): BigInt per item is measurably slower.
        base: base < BigInt(Number.MAX_SAFE_INTEGER) - 1_000_000n ? Number(base) : base,
        appendTime: meta.logAppendTime !== undefined ? Number(meta.logAppendTime) : undefined,
        next: 0,
      });
    }
    for (const entry of request) {
      const partition = entry.message.partition as number;
      const found = partitions.get(entry.topic)?.get(partition);
      let offset: string | null = null;
      if (found) {
        const index = found.next++;
        offset = typeof found.base === 'number' ? String(found.base + index) : (found.base + BigInt(index)).toString();
      }
      const timestampMs = found?.appendTime ?? Number(entry.message.timestamp);
      // Built field by field (same keys, same order as before): the spreads cost a temporary object per item.
      const result: IDataObject = {
        topic: entry.topic,
        partition,
        // acks=none: the broker sends no answer, so there is no offset to report.
        offset,
        timestamp: isoOf(timestampMs),
        timestampMs,
      };
      // Serialized keys (binary, Schema Registry) are bytes: reported as base64, never as mangled text.
      const key = entry.message.key;
      if (Buffer.isBuffer(key)) {
        result.key = null;
        result.keyBase64 = key.toString('base64');
      } else {
        result.key = key === null || key === undefined ? null : String(key);
      }
      if (entry.schemaId !== undefined) {
        result.schemaId = entry.schemaId;
        result.subject = entry.subject;
      }
      results.set(entry.itemIndex, result);
    }
  };
  const toRecords = (request: Prepared[]): OutgoingRecord[] => request.map((entry) => entry.message);

  if (transactional) {
    // One bad item aborts the whole transaction: nothing of this execution may become visible.
    let failedItem: number | undefined = failures.size ? Math.min(...failures.keys()) : undefined;
    let failure: unknown = failedItem !== undefined ? failures.get(failedItem) : undefined;
    if (failedItem === undefined && ready.length) {
      const offsets = options.commitConsumedOffsets ? sourceOffsets(items, options.sourceField || 'kafkaSource') : undefined;
      if (offsets && offsets.size === 0) {
        failedItem = 0;
        failure = configError(`Commit Consumed Offsets is on, but no item has a "${options.sourceField || 'kafkaSource'}" field from the Kafka Suite Trigger in exactly-once mode`, 'sourceField');
      } else {
        const transactionalId = options.transactionalId || defaultTransactionalId(this);
        let current: Prepared[] | undefined;
        try {
          // The transaction's own failure is returned, not thrown, so it is handled below with the connect failures.
          const transactionError = await connection.withProducer({ idempotent: true, transactionalId }, async (producer, reportFailure): Promise<unknown> => {
            try {
              // Throwing the marker makes transaction() abort: nothing of this attempt becomes visible.
              await producer.transaction(async (transaction) => {
                if (offsets && (await addOffsetsOrFindCommitted(connection, transaction, offsets))) throw ALREADY_COMMITTED;
                for (const request of requests) {
                  current = request;
                  record(request, await transaction.send(toRecords(request), sendArgs));
                }
                current = undefined;
              });
            } catch (error) {
              if (error === ALREADY_COMMITTED) return ALREADY_COMMITTED;
              reportFailure(error);
              return error ?? new KafkaSuiteError('The transaction failed', { kind: 'unknown' });
            }
            for (const [groupId, { partitions }] of offsets ?? []) {
              for (const p of partitions.values()) recordTransactionalOffset(groupId, p.topic, p.partition, p.next);
            }
            return undefined;
          });
          if (transactionError === ALREADY_COMMITTED) {
            // An earlier attempt's transaction committed these items' output and offsets after all.
            return [items.map((_, index) => ({ json: { alreadyCommitted: true, sent: false }, pairedItem: { item: index } }))];
          }
          if (transactionError !== undefined) {
            results.clear();
            failedItem = current?.[0]?.itemIndex ?? ready[0].itemIndex;
            failure = transactionError;
            forgetTopics(connection, new Set(ready.map((p) => p.topic)));
          }
        } catch (error) {
          results.clear();
          failedItem = current?.[0]?.itemIndex ?? ready[0].itemIndex;
          failure = error;
          forgetTopics(connection, new Set(ready.map((p) => p.topic)));
        }
      }
    }
    if (failedItem !== undefined) {
      const abortedBy = failedItem;
      if (!this.continueOnFail()) throw toNodeError(this.getNode(), failure, abortedBy);
      return [
        items.map((_, index) =>
          index === abortedBy || failures.has(index)
            ? itemFailure(this, failures.get(index) ?? failure, index, { transactionAborted: true })
            : {
                json: { error: `Not sent: the transaction was aborted because item ${abortedBy} failed`, transactionAborted: true },
                pairedItem: { item: index },
              },
        ),
      ];
    }
  } else if (requests.length) {
    /** Sends each request; returns those refused because the producer's metadata was stale. */
    const sendEach = (batch: Prepared[][]) =>
      connection.withProducer({ idempotent }, async (producer, reportFailure) => {
        const stale: Prepared[][] = [];
        for (const request of batch) {
          try {
            record(request, await producer.send(toRecords(request), sendArgs));
          } catch (error) {
            // A refused request fails as a whole; every item in it is marked failed.
            reportFailure(error);
            forgetTopics(connection, new Set(request.map((p) => p.topic)));
            for (const entry of request) failures.set(entry.itemIndex, error);
            if (toKafkaSuiteError(error).code === 'UNKNOWN_TOPIC_OR_PARTITION') stale.push(request);
          }
        }
        return stale;
      });
    const stale = await sendEach(requests);
    // The topics were checked before sending, so this refusal is the pooled producer asking about a
    // topic deleted since it last used it (a client may never forget one). The pool has retired that
    // producer; nothing was written, so the refused requests get one more try on a fresh one.
    if (stale.length) {
      for (const request of stale) for (const entry of request) failures.delete(entry.itemIndex);
      await sendEach(stale);
    }
  }

  const output: INodeExecutionData[] = [];
  for (let index = 0; index < items.length; index++) {
    const result = results.get(index);
    if (result) output.push({ json: result, pairedItem: { item: index } });
    else output.push(itemFailure(this, failures.get(index) ?? new KafkaSuiteError('Not sent', { kind: 'unknown' }), index));
  }
  return [output];
}

// The suite's consumer (api.ts: KafkaConsumer) on @platformatic/kafka.
//
// The library is a stream consumer: its MessagesStream fetches every assigned partition and has no
// per-partition pause and no seek. Here the library keeps what it does well, group membership
// (classic JoinGroup/SyncGroup or KIP-848 ConsumerGroupHeartbeat, heartbeats, rejoin) and the Fetch
// request (leaders, fetch sessions, decompression), and the delivery loop is ours: it fetches only
// the partitions that are assigned and not paused, from positions it owns, so pause/resume and seek
// are exact. The stream `consume()` returns is kept but never read: reading it is what would make
// it fetch, and `consume()` is the library's only way to join a KIP-848 group.
import type {
  ConsumedRecord,
  ConsumerEvents,
  ConsumerOptions,
  GroupMemberMetadata,
  KafkaConsumer,
  PartitionBatch,
  ReceivedHeaders,
} from '../api';
import { tracingChannel } from 'node:diagnostics_channel';
import { KafkaSuiteError, type KafkaErrorContext } from '../../errors';
import { loadPlatformatic } from './load';
import { toSuiteError } from './options';
import type { BaseOptions, Consumer } from './vendor';

type LibraryConsumer = Consumer<Buffer, Buffer, Buffer, Buffer>;

const CONSUMER_GROUP_HEARTBEAT = 68;
/** Consumer instance id -> the member epoch the coordinator last gave it (KIP-848 groups). */
const memberEpochs = new Map<number, number>();
let watchingHeartbeats = false;

/**
 * A KIP-848 member's epoch plays the generation's part in commits (and in KIP-447's TxnOffsetCommit),
 * but the library keeps it private (#memberEpoch; its public generationId stays 0 under the consumer
 * protocol). It publishes every API answer on its diagnostics channel, so the epoch is read from the
 * ConsumerGroupHeartbeat answers there, keyed by the connection's owner (the consumer's instance id:
 * the answer names the member only when it joins).
 */
function watchMemberEpochs(): void {
  if (watchingHeartbeats) return;
  watchingHeartbeats = true;
  tracingChannel('plt:kafka:connections:api').subscribe({
    start() {},
    end() {},
    asyncStart() {},
    error() {},
    asyncEnd(message: unknown) {
      const context = message as { apiKey?: number; connection?: { ownerId?: number }; result?: { errorCode?: number; memberEpoch?: number } };
      const owner = context.connection?.ownerId;
      const result = context.result;
      if (context.apiKey !== CONSUMER_GROUP_HEARTBEAT || owner === undefined || !result || result.errorCode) return;
      if (typeof result.memberEpoch === 'number' && result.memberEpoch >= 0) memberEpochs.set(owner, result.memberEpoch);
      else memberEpochs.delete(owner);
    },
  });
}
type FetchResponse = Awaited<ReturnType<LibraryConsumer['fetch']>>;
type RecordsBatch = NonNullable<FetchResponse['responses'][number]['partitions'][number]['records']>[number];

const IS_TRANSACTIONAL = 0x10;
const IS_CONTROL = 0x20;
const LOG_APPEND_TIME = 0x08;
const OFFSET_OUT_OF_RANGE = 1;
const key = (topic: string, partition: number) => `${topic}\u0000${partition}`;

interface PartitionState {
  topic: string;
  partition: number;
  /** Next offset to fetch; undefined until the committed offset (or the reset policy) is known. */
  position?: bigint;
  /** Bumped by seek, reset and revoke: a fetch answered for an older version is discarded. */
  version: number;
  /** Bumped by seek only: a handler that seeked keeps its seek over what it marked handled. */
  seeks: number;
  pauses: number;
  revoked: boolean;
}

/** Header entries (duplicates kept, in order) as our received headers: one value, or several under one name. */
export function receivedHeaders(entries: Array<[Buffer | null, Buffer | null]>): ReceivedHeaders {
  const out: ReceivedHeaders = {};
  for (const [rawName, value] of entries) {
    const name = rawName ? rawName.toString('utf8') : '';
    const existing = Object.prototype.hasOwnProperty.call(out, name) ? out[name] : undefined;
    const next = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
    // An own property even for names like __proto__ (never a prototype change).
    Object.defineProperty(out, name, { value: next, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * Records of one fetched partition, as delivered: control batches dropped, records before the
 * requested offset dropped (a batch starts before it), and under read_committed the records of
 * aborted transactions dropped. The Fetch protocol leaves that filter to the client: a
 * read_committed answer lists the aborted transactions as (producer id, first offset) beside the
 * data (Java's client filters by it; the library's stream has no such filter). In our probe on
 * Kafka 3.9 the broker left the aborted batch out of the answer itself, so this is the protocol's
 * contract kept, not a failure seen; test/unit/platformatic/records.test.ts covers it.
 */
export function recordsOf(
  topic: string,
  partition: number,
  batches: RecordsBatch[],
  from: bigint,
  aborted: Array<{ producerId: bigint; firstOffset: bigint }> | null,
  readCommitted: boolean,
): { records: ConsumedRecord[]; next: bigint | undefined } {
  const records: ConsumedRecord[] = [];
  let next: bigint | undefined;
  // Aborted transactions by producer, in first-offset order; one is "open" from its first offset to its abort marker.
  const pending = [...(aborted ?? [])].sort((a, b) => (a.firstOffset < b.firstOffset ? -1 : 1));
  const abortedProducers = new Set<bigint>();
  for (const batch of batches) {
    const last = batch.firstOffset + BigInt(batch.lastOffsetDelta);
    next = last + 1n;
    if (readCommitted) {
      while (pending.length && pending[0].firstOffset <= last) abortedProducers.add(pending.shift()!.producerId);
    }
    if (batch.attributes & IS_CONTROL) {
      // The control record ends the producer's transaction (commit or abort marker).
      if (readCommitted) abortedProducers.delete(batch.producerId);
      continue;
    }
    if (readCommitted && batch.attributes & IS_TRANSACTIONAL && abortedProducers.has(batch.producerId)) continue;
    const logAppend = (batch.attributes & LOG_APPEND_TIME) !== 0;
    for (const record of batch.records) {
      const offset = batch.firstOffset + BigInt(record.offsetDelta);
      if (offset < from) continue;
      records.push({
        topic,
        partition,
        offset: offset.toString(),
        timestamp: (logAppend ? batch.maxTimestamp : batch.firstTimestamp + record.timestampDelta).toString(),
        key: record.key ?? null,
        value: record.value ?? null,
        headers: receivedHeaders(record.headers),
      });
    }
  }
  return { records, next };
}

export class PlatformaticConsumer implements KafkaConsumer {
  private consumer?: LibraryConsumer;
  private stream?: { resume(): unknown };
  private readonly partitions = new Map<string, PartitionState>();
  private stopping?: Promise<void>;
  private loop?: Promise<void>;
  private wake?: () => void;
  private assignmentDirty = false;
  /** The library's assignment as last applied (see assignmentKey). */
  private appliedAssignment = '';
  private events: ConsumerEvents = {};

  constructor(
    private readonly base: BaseOptions,
    private readonly options: ConsumerOptions,
    private readonly context: KafkaErrorContext,
  ) {}

  async start(handler: (batch: PartitionBatch) => Promise<void>, events: ConsumerEvents = {}): Promise<void> {
    if (this.stopping) throw new KafkaSuiteError('The consumer was stopped', { kind: 'config' });
    this.events = events;
    const lib = loadPlatformatic();
    const o = this.options;
    const common = {
      ...this.base,
      groupId: o.groupId,
      autocommit: false,
      minBytes: o.minBytes,
      maxBytes: o.maxBytes,
      maxBytesPerPartition: o.maxBytesPerPartition,
      maxWaitTime: o.maxWaitMs,
      isolationLevel: o.readCommitted === false ? lib.FetchIsolationLevels.READ_UNCOMMITTED : lib.FetchIsolationLevels.READ_COMMITTED,
    };
    const consumer: LibraryConsumer =
      o.groupProtocol === 'consumer'
        ? // KIP-848: session and heartbeat timing are the broker's (group.consumer.* configs). The
          // library still checks rebalanceTimeout >= sessionTimeout (default 60 s) under this protocol,
          // so a shorter rebalance timeout needs the (unused) session timeout lowered with it.
          new lib.Consumer({
            ...common,
            groupProtocol: lib.GroupProtocols.CONSUMER,
            rebalanceTimeout: o.rebalanceTimeoutMs,
            ...({ sessionTimeout: Math.min(o.sessionTimeoutMs, o.rebalanceTimeoutMs) } as object),
          })
        : new lib.Consumer({
            ...common,
            groupProtocol: lib.GroupProtocols.CLASSIC,
            sessionTimeout: o.sessionTimeoutMs,
            rebalanceTimeout: o.rebalanceTimeoutMs,
            heartbeatInterval: o.heartbeatIntervalMs,
          });
    this.consumer = consumer;
    if (o.groupProtocol === 'consumer') watchMemberEpochs();
    // An 'error' event without a listener would throw out of the library's callbacks.
    consumer.on('error', (error: unknown) => events.recovering?.(toSuiteError(error, this.context)));
    consumer.on('consumer:group:join', () => this.markAssignmentChanged());
    consumer.on('consumer:group:rebalance', () => this.markAssignmentChanged());
    // Under KIP-848 the library announces neither a new assignment (partitions given to a member
    // after it joined, e.g. ones another member released) nor when a revocation has taken effect:
    // 'group:rebalance' comes before the new assignment is in place, and a member that joined empty
    // hears nothing when partitions come. Every heartbeat answer is the moment an assignment can
    // change, so the loop compares the assignment itself after each one (and before each fetch).
    consumer.on('consumer:heartbeat:end', () => {
      if (this.assignmentKey() !== this.appliedAssignment) this.markAssignmentChanged();
    });
    try {
      const topics = await this.topics();
      const stream = await consumer.consume({
        topics,
        mode: lib.MessagesStreamModes.COMMITTED,
        fallbackMode: o.fromBeginning ? lib.MessagesStreamFallbackModes.EARLIEST : lib.MessagesStreamFallbackModes.LATEST,
      });
      stream.on('error', (error: unknown) => events.recovering?.(toSuiteError(error, this.context)));
      // The library pauses and resumes its streams around a KIP-848 revocation; resuming would make
      // this never-read stream flow, i.e. run the library's own fetch loop for nobody. It stays put.
      // (stop() puts the real resume back: the library's close drains the stream through it.)
      stream.resume = () => stream;
      this.stream = stream;
    } catch (error) {
      await consumer.close(true).catch(() => undefined);
      throw toSuiteError(error, { ...this.context, group: o.groupId });
    }
    this.markAssignmentChanged();
    this.loop = this.run(handler).catch((error) => {
      if (!this.stopping) events.crashed?.(toSuiteError(error, { ...this.context, group: o.groupId }));
    });
  }

  seek(topic: string, partition: number, offset: string): void {
    const state = this.partitions.get(key(topic, partition)) ?? this.track(topic, partition);
    state.position = BigInt(offset);
    state.version++;
    state.seeks++;
    this.wake?.();
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.wake?.();
      await this.loop;
      if (this.stream) delete (this.stream as { resume?: unknown }).resume;
      // Leaves the group (LeaveGroup / heartbeat with epoch -1) and closes the connections.
      await this.consumer?.close(true).catch(() => undefined);
      if (this.consumer) memberEpochs.delete(this.consumer.instanceId);
    })();
    return this.stopping;
  }

  private track(topic: string, partition: number): PartitionState {
    const state: PartitionState = { topic, partition, version: 0, seeks: 0, pauses: 0, revoked: false };
    this.partitions.set(key(topic, partition), state);
    return state;
  }

  private markAssignmentChanged(): void {
    this.assignmentDirty = true;
    this.wake?.();
  }

  /** A RegExp subscription is resolved against the topics that exist at start (as kafkajs does). */
  private async topics(): Promise<string[]> {
    const { topics } = this.options;
    if (Array.isArray(topics)) return topics;
    const admin = new (loadPlatformatic().Admin)({ ...this.base });
    try {
      const names = (await admin.listTopics()).filter((name) => topics.test(name));
      if (!names.length) throw new KafkaSuiteError(`No topic matches ${String(topics)}`, { kind: 'config', context: { field: 'topics' } });
      return names;
    } finally {
      await admin.close().catch(() => undefined);
    }
  }

  private member(): GroupMemberMetadata | undefined {
    const c = this.consumer;
    if (!c?.memberId) return undefined;
    const generationId = this.options.groupProtocol === 'consumer' ? (memberEpochs.get(c.instanceId) ?? -1) : c.generationId;
    return { generationId, memberId: c.memberId, groupInstanceId: c.groupInstanceId ?? undefined };
  }

  /** The library's current assignment, comparable: topic:partitions sorted. */
  private assignmentKey(): string {
    const assignments = this.consumer?.assignments ?? [];
    return assignments
      .map((a) => `${a.topic}:${[...a.partitions].sort((x, y) => x - y).join(',')}`)
      .sort()
      .join(';');
  }

  /**
   * New assignment: revoked partitions stop at once; new ones start at the committed offset or the
   * reset policy. Those lookups can fail (a request timeout on a loaded machine): the partitions
   * still without a position are looked up again on the next turn of the loop, never left assigned
   * but unfetched until the next rebalance.
   */
  private async applyAssignment(): Promise<void> {
    this.assignmentDirty = false;
    this.appliedAssignment = this.assignmentKey();
    const consumer = this.consumer!;
    const assignment = (consumer.assignments ?? []).map((a) => ({ topic: a.topic, partitions: [...a.partitions] }));
    const wanted = new Set(assignment.flatMap((a) => a.partitions.map((p) => key(a.topic, p))));
    for (const [k, state] of this.partitions) {
      if (!wanted.has(k)) {
        state.revoked = true;
        state.version++;
        this.partitions.delete(k);
      }
    }
    for (const a of assignment) for (const p of a.partitions) if (!this.partitions.has(key(a.topic, p))) this.track(a.topic, p);
    const unknown = assignment
      .map((a) => ({ topic: a.topic, partitions: a.partitions.filter((p) => this.partitions.get(key(a.topic, p))?.position === undefined) }))
      .filter((a) => a.partitions.length);
    if (unknown.length) {
      try {
        const committed = await consumer.listCommittedOffsets({ topics: unknown });
        const missing = new Set<string>();
        for (const a of unknown) {
          a.partitions.forEach((p) => {
            const offset = committed.get(a.topic)?.[p] ?? -1n;
            const state = this.partitions.get(key(a.topic, p));
            // A seek meanwhile (e.g. from the assigned event of an earlier turn) wins.
            if (!state || state.position !== undefined) return;
            if (offset >= 0n) state.position = offset;
            else missing.add(a.topic);
          });
        }
        if (missing.size) await this.reset([...unknown.filter((a) => missing.has(a.topic))], true);
      } catch (error) {
        this.assignmentDirty = true;
        throw error;
      }
    }
    if (assignment.length) this.events.assigned?.(assignment);
  }

  /** Positions of these partitions from the reset policy (earliest or latest); `onlyUnknown` keeps known ones. */
  private async reset(targets: Array<{ topic: string; partitions: number[] }>, onlyUnknown: boolean): Promise<void> {
    const lib = loadPlatformatic();
    const offsets = await this.consumer!.listOffsets({
      topics: targets.map((t) => t.topic),
      partitions: Object.fromEntries(targets.map((t) => [t.topic, t.partitions])),
      timestamp: this.options.fromBeginning ? lib.ListOffsetTimestamps.EARLIEST : lib.ListOffsetTimestamps.LATEST,
    });
    for (const t of targets) {
      for (const p of t.partitions) {
        const state = this.partitions.get(key(t.topic, p));
        const offset = offsets.get(t.topic)?.[p];
        if (!state || offset === undefined || (onlyUnknown && state.position !== undefined)) continue;
        state.position = offset;
        state.version++;
      }
    }
  }

  private waitForWork(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private async run(handler: (batch: PartitionBatch) => Promise<void>): Promise<void> {
    const consumer = this.consumer!;
    const readCommitted = this.options.readCommitted !== false;
    let failures = 0;
    while (!this.stopping) {
      try {
        if (this.assignmentDirty || this.assignmentKey() !== this.appliedAssignment) await this.applyAssignment();
        const ready = [...this.partitions.values()].filter((s) => !s.revoked && s.pauses === 0 && s.position !== undefined);
        if (!ready.length) {
          // Nothing to fetch until an assignment, a resume or a seek (each wakes us), or a stop.
          await this.waitForWork(this.options.maxWaitMs || 500);
          continue;
        }
        const metadata = await consumer.metadata({ topics: [...new Set(ready.map((s) => s.topic))] });
        const byNode = new Map<number, PartitionState[]>();
        for (const s of ready) {
          const leader = metadata.topics.get(s.topic)?.partitions[s.partition]?.leader ?? -1;
          byNode.set(leader, [...(byNode.get(leader) ?? []), s]);
        }
        const member = this.member();
        const answers = await Promise.all(
          [...byNode].map(async ([node, states]) => {
            const requested = states.map((s) => ({ state: s, from: s.position!, version: s.version }));
            const topics = new Map<string, Array<{ partition: number; fetchOffset: bigint; partitionMaxBytes: number; currentLeaderEpoch: number; lastFetchedEpoch: number }>>();
            for (const r of requested) {
              const id = metadata.topics.get(r.state.topic)!.id;
              topics.set(id, [
                ...(topics.get(id) ?? []),
                { partition: r.state.partition, fetchOffset: r.from, partitionMaxBytes: this.options.maxBytesPerPartition, currentLeaderEpoch: -1, lastFetchedEpoch: -1 },
              ]);
            }
            const response = await consumer.fetch({
              node,
              topics: [...topics].map(([topicId, partitions]) => ({ topicId, partitions })),
              minBytes: this.options.minBytes,
              maxBytes: this.options.maxBytes,
              maxWaitTime: this.options.maxWaitMs,
              isolationLevel: readCommitted ? 1 : 0,
            });
            return { requested, response };
          }),
        );
        const batches: PartitionBatch[] = [];
        const outOfRange: Array<{ topic: string; partitions: number[] }> = [];
        for (const { requested, response } of answers) {
          const topicNames = new Map([...metadata.topics].map(([name, t]) => [t.id, name]));
          for (const t of response.responses) {
            const topic = topicNames.get(t.topicId);
            for (const p of t.partitions) {
              const r = requested.find((x) => x.state.topic === topic && x.state.partition === p.partitionIndex);
              // Not asked for (a fetch session's leftover), or seeked / paused / revoked meanwhile: stale.
              if (!r || r.state.version !== r.version || r.state.revoked || r.state.pauses > 0) continue;
              if (p.errorCode === OFFSET_OUT_OF_RANGE) {
                outOfRange.push({ topic: r.state.topic, partitions: [r.state.partition] });
                continue;
              }
              if (p.errorCode) {
                consumer.clearMetadata();
                continue;
              }
              const { records, next } = recordsOf(r.state.topic, r.state.partition, p.records ?? [], r.from, p.abortedTransactions, readCommitted);
              if (!records.length) {
                // Only control records or aborted data: step over them.
                if (next !== undefined && next > r.from) r.state.position = next;
                continue;
              }
              batches.push(this.batch(r.state, records, p.highWatermark, next!, member));
            }
          }
        }
        if (outOfRange.length) await this.reset(outOfRange, false);
        await this.deliver(batches, handler);
        failures = 0;
      } catch (error) {
        if (this.stopping) break;
        const mapped = toSuiteError(error, { ...this.context, group: this.options.groupId });
        failures++;
        if (!mapped.retriable && failures > 5) throw mapped;
        this.events.recovering?.(mapped);
        consumer.clearMetadata();
        // Backoff before the next fetch; a stop, seek or assignment wakes us early.
        await this.waitForWork(Math.min(30_000, 250 * 2 ** Math.min(failures, 7)));
      }
    }
  }

  private batch(state: PartitionState, records: ConsumedRecord[], highWatermark: bigint, next: bigint, member: GroupMemberMetadata | undefined): PartitionBatch & { finish(): void } {
    const seeks = state.seeks;
    let handled: bigint | undefined;
    const consumer = this.consumer!;
    return {
      topic: state.topic,
      partition: state.partition,
      records,
      highWatermark: highWatermark.toString(),
      // The library heartbeats on its own timer, whatever the handler does.
      heartbeat: async () => undefined,
      isActive: () => !this.stopping && !state.revoked && this.partitions.get(key(state.topic, state.partition)) === state,
      commit: async (nextOffset) => {
        try {
          await consumer.commit({ offsets: [{ topic: state.topic, partition: state.partition, offset: BigInt(nextOffset), leaderEpoch: -1 }] });
        } catch (error) {
          throw toSuiteError(error, { ...this.context, group: this.options.groupId, topic: state.topic, partition: state.partition });
        }
      },
      markHandled: (offset) => {
        const o = BigInt(offset);
        if (handled === undefined || o > handled) handled = o;
      },
      pause: () => {
        state.pauses++;
        let resumed = false;
        return () => {
          if (resumed) return;
          resumed = true;
          state.pauses--;
          this.wake?.();
        };
      },
      member: () => member,
      // After the handler: the position moves past what it marked handled (all of it when it marked
      // the last record), unless it seeked meanwhile. Records it did not mark are fetched again, as
      // kafkajs does with eachBatchAutoResolve off.
      finish: () => {
        if (state.seeks !== seeks || handled === undefined) return;
        const lastOffset = BigInt(records[records.length - 1].offset);
        state.position = handled >= lastOffset ? next : handled + 1n;
      },
    };
  }

  /** Runs the handler for up to `concurrency` partitions at once; one partition's batches stay in order. */
  private async deliver(batches: Array<PartitionBatch & { finish?(): void }>, handler: (batch: PartitionBatch) => Promise<void>): Promise<void> {
    const queue = [...batches];
    const workers = Array.from({ length: Math.max(1, Math.min(this.options.concurrency || 1, queue.length)) }, async () => {
      for (let batch = queue.shift(); batch; batch = queue.shift()) {
        if (!batch.isActive()) continue;
        await handler(batch);
        batch.finish?.();
      }
    });
    await Promise.all(workers);
  }
}

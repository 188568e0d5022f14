import type {
  AclBinding,
  AclFilter,
  AclOperationName,
  AclPatternKind,
  AclPermission,
  AclResourceKind,
  ClusterInfo,
  CommittedOffsets,
  ConfigResourceKind,
  GroupDescription,
  GroupListing,
  KafkaAdmin,
  NewTopic,
  PartitionOffsets,
  ProducerIdSample,
  ResourceConfigs,
  TopicMetadata,
  TopicPartitionOffset,
} from '../api';
import { KafkaSuiteError, type KafkaErrorContext } from '../../errors';
import { loadPlatformatic } from './load';
import { toSuiteError } from './options';
import type { Admin, Connection, RecordsBatch } from './vendor';

const lib = () => loadPlatformatic();

const RESOURCE: Record<AclResourceKind, number> = { any: 1, topic: 2, group: 3, cluster: 4, transactionalId: 5, delegationToken: 6 };
const PATTERN: Record<AclPatternKind, number> = { any: 1, match: 2, literal: 3, prefixed: 4 };
const OPERATION: Record<AclOperationName, number> = {
  any: 1, all: 2, read: 3, write: 4, create: 5, delete: 6, alter: 7, describe: 8,
  clusterAction: 9, describeConfigs: 10, alterConfigs: 11, idempotentWrite: 12,
};
const PERMISSION: Record<AclPermission, number> = { any: 1, deny: 2, allow: 3 };
const CONFIG_RESOURCE: Record<ConfigResourceKind, number> = { topic: 2, broker: 4, brokerLogger: 8, group: 32 };
const invert = <K extends string>(map: Record<K, number>) => new Map(Object.entries(map).map(([k, v]) => [v as number, k as K]));
const RESOURCE_NAME = invert(RESOURCE);
const PATTERN_NAME = invert(PATTERN);
const OPERATION_NAME = invert(OPERATION);
const PERMISSION_NAME = invert(PERMISSION);
const CONFIG_RESOURCE_NAME = invert(CONFIG_RESOURCE);
const CONFIG_SOURCE_NAME = new Map<number, string>([
  [0, 'UNKNOWN'], [1, 'DYNAMIC_TOPIC_CONFIG'], [2, 'DYNAMIC_BROKER_CONFIG'], [3, 'DYNAMIC_DEFAULT_BROKER_CONFIG'],
  [4, 'STATIC_BROKER_CONFIG'], [5, 'DEFAULT_CONFIG'], [6, 'DYNAMIC_BROKER_LOGGER_CONFIG'], [7, 'CLIENT_METRICS_CONFIG'], [8, 'GROUP_CONFIG'],
]);

/**
 * Whether a request version is "flexible" (KIP-482: tagged fields in the request and response
 * headers): the APIs the suite sends raw (quotas 48/49 from v1, SCRAM 50/51 and every later API from v0).
 */
const FIRST_FLEXIBLE: Record<number, number> = { 48: 1, 49: 1 };
const isFlexible = (apiKey: number, apiVersion: number) => apiVersion >= (FIRST_FLEXIBLE[apiKey] ?? (apiKey >= 50 ? 0 : Infinity));

interface ProtocolLeaf {
  apiId?: string;
  message?: string;
  serverErrorMessage?: string | null;
  errors?: ProtocolLeaf[];
}
/** The protocol errors (per topic, per partition...) in a library error tree. */
function protocolLeaves(error: unknown): ProtocolLeaf[] {
  const node = error as ProtocolLeaf | undefined;
  if (!node || typeof node !== 'object') return [];
  const below = (node.errors ?? []).flatMap(protocolLeaves);
  return node.apiId ? [node, ...below] : below;
}

type Callback<T> = (error: Error | null, value: T) => void;
/** The Admin's connection pool and negotiated API versions, behind the library's exported symbols. */
interface AdminInternals {
  getApi(name: string, callback: Callback<(...args: unknown[]) => void>): void;
  getConnection(broker: { host: string; port: number }, callback: Callback<Connection>): void;
  getBootstrapConnection(callback: Callback<Connection>): void;
}
/**
 * Found by the symbols' descriptions (the library exports them, but nodes/shared/kafka/platformatic/
 * vendor.ts, the bundle's entry, does not re-export them); a missing one is a clear error.
 */
function internals(admin: Admin): AdminInternals {
  const find = (description: string) => {
    for (let o: object | null = admin; o; o = Object.getPrototypeOf(o)) {
      const symbol = Object.getOwnPropertySymbols(o).find((s) => s.description === description);
      if (symbol) return ((admin as unknown as Record<symbol, (...args: unknown[]) => void>)[symbol]).bind(admin);
    }
    throw new KafkaSuiteError(`@platformatic/kafka internals changed (${description} not found): this request cannot be sent`, { kind: 'config' });
  };
  return {
    getApi: find('plt.kafka.base.getApi'),
    getConnection: find('plt.kafka.base.getConnection'),
    getBootstrapConnection: find('plt.kafka.base.getBootstrapConnection'),
  } as AdminInternals;
}

/** The Fetch API the Admin negotiated, and the part of its answer newestProducerIds reads. */
type FetchApi = ((connection: Connection, ...args: unknown[]) => void) & { version: number };
interface FetchAnswer {
  responses: Array<{ topicId: string; partitions: Array<{ partitionIndex: number; errorCode: number; highWatermark: bigint; records?: RecordsBatch[] | null }> }>;
}

/** DescribeGroups' answer for one group, as the library's protocol API parses it. */
interface DescribedGroup {
  errorCode: number;
  groupId: string;
  groupState: string;
  protocolType: string;
  protocolData: string;
  members: Array<{ memberId: string; groupInstanceId: string | null; clientId: string; clientHost: string; memberMetadata: Buffer; memberAssignment: Buffer }>;
}
/** COORDINATOR_LOAD_IN_PROGRESS, COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR: ask the (new) coordinator again. */
const COORDINATOR_NOT_READY = new Set([14, 15, 16]);

/** A consumer-protocol member assignment; [] for empty or undecodable bytes, as the kafkajs adapter answers. */
function decodeAssignment(bytes: Buffer): Array<{ topic: string; partitions: number[] }> {
  if (!bytes.length) return [];
  try {
    return lib().decodeConsumerProtocolAssignment(bytes).assignedPartitions.map((a) => ({ topic: a.topic, partitions: [...a.partitions].sort((x, y) => x - y) }));
  } catch {
    return [];
  }
}

const EARLIEST = -2n;
const LATEST = -1n;

/** KafkaAdmin on @platformatic/kafka's Admin; every method maps to one library call except where noted. */
export class PlatformaticAdmin implements KafkaAdmin {
  constructor(private readonly admin: Admin, private readonly context: KafkaErrorContext) {}

  private async call<T>(what: () => Promise<T>, extra: KafkaErrorContext = {}): Promise<T> {
    try {
      return await what();
    } catch (error) {
      throw toSuiteError(error, { ...this.context, ...extra });
    }
  }

  listTopics(): Promise<string[]> {
    return this.call(() => this.admin.listTopics({ includeInternals: true }));
  }

  async fetchTopicMetadata(topics?: string[]): Promise<TopicMetadata[]> {
    const names = topics ?? (await this.listTopics());
    if (!names.length) return [];
    const metadata = await this.call(() => this.admin.metadata({ topics: names, forceUpdate: true }));
    return names.map((name) => {
      const topic = metadata.topics.get(name);
      if (!topic) throw new KafkaSuiteError(`Topic "${name}" does not exist`, { kind: 'protocol', code: 'UNKNOWN_TOPIC_OR_PARTITION', context: { topic: name } });
      return {
        name,
        partitions: topic.partitions.map((p, partition) => ({ partition, leader: p.leader, replicas: p.replicas, isr: p.isr, offlineReplicas: p.offlineReplicas })),
      };
    });
  }

  /** A connection from the Admin's own pool (TLS, SASL, its settings): any broker, the controller, or one by id. */
  private async connectionTo(target: 'any' | 'controller' | number): Promise<Connection> {
    const admin = internals(this.admin);
    if (target === 'any') return this.call(() => new Promise<Connection>((resolve, reject) => admin.getBootstrapConnection((e, c) => (e ? reject(e) : resolve(c)))));
    const metadata = await this.call(() => this.admin.metadata({ topics: [] }));
    const id = target === 'controller' ? metadata.controllerId : target;
    const broker = metadata.brokers.get(id);
    if (!broker) throw new KafkaSuiteError(`Broker ${id} is not in the cluster metadata`, { kind: 'config', context: this.context });
    return this.call(() => new Promise<Connection>((resolve, reject) => admin.getConnection(broker, (e, c) => (e ? reject(e) : resolve(c)))), { broker: `${broker.host}:${broker.port}` });
  }

  /**
   * A request the library does not wrap (quotas, SCRAM users: nodes/shared/admin/quotasScram.ts),
   * body in, body out. The Connection writes the request header (with the empty tagged-field
   * section of a flexible version) and skips the response header's, as kafkajs/raw.ts does.
   */
  async rawRequest(request: { apiKey: number; apiVersion: number; body: Buffer; target?: 'any' | 'controller' | number }): Promise<Buffer> {
    const connection = await this.connectionTo(request.target ?? 'any');
    const flexible = isFlexible(request.apiKey, request.apiVersion);
    const { Writer } = lib();
    return this.call(
      () =>
        new Promise<Buffer>((resolve, reject) =>
          connection.send<Buffer>(
            request.apiKey,
            request.apiVersion,
            () => Writer.create().append(request.body),
            (_correlationId, _apiKey, _apiVersion, reader) => reader.buffer.slice(reader.position),
            flexible,
            flexible,
            (error, body) => (error ? reject(error) : resolve(body as Buffer)),
          ),
        ),
    );
  }

  /**
   * Producer id of the newest data batch of each target partition, read uncommitted from `from` by
   * Fetch requests sent to each partition's leader on the Admin's own connections: no consumer
   * group (options.groupId goes unused). A partition is fetched again from after its last batch
   * until the high watermark. Partitions that fail, or are unanswered at the timeout, are left out;
   * -1 means a non-idempotent producer.
   */
  async newestProducerIds(targets: ProducerIdSample[], options: { groupId: string; timeoutMs: number }): Promise<Map<string, number>> {
    const found = new Map<string, number>();
    if (!targets.length) return found;
    const deadline = Date.now() + options.timeoutMs;
    const metadata = await this.call(() => this.admin.metadata({ topics: [...new Set(targets.map((t) => t.topic))] }));
    const admin = internals(this.admin);
    const api = await this.call(() => new Promise<FetchApi>((resolve, reject) => admin.getApi('Fetch', (e, a) => (e ? reject(e) : resolve(a as unknown as FetchApi)))));
    // Fetch v13+ names a topic by its id, older versions by its name.
    const idOf = (topic: string) => (api.version >= 13 ? metadata.topics.get(topic)?.id ?? '' : topic);
    const byLeader = new Map<number, Map<string, { topic: string; partition: number; offset: bigint }>>();
    for (const t of targets) {
      const leader = metadata.topics.get(t.topic)?.partitions[t.partition]?.leader ?? -1;
      if (leader < 0) continue;
      const pending = byLeader.get(leader) ?? new Map();
      pending.set(`${idOf(t.topic)}\u0000${t.partition}`, { topic: t.topic, partition: t.partition, offset: BigInt(t.from) });
      byLeader.set(leader, pending);
    }
    let done = false;
    const sample = async ([leader, pending]: [number, Map<string, { topic: string; partition: number; offset: bigint }>]) => {
      const broker = metadata.brokers.get(leader);
      if (!broker) return;
      const connection = await new Promise<Connection>((resolve, reject) => admin.getConnection(broker, (e, c) => (e ? reject(e) : resolve(c))));
      while (pending.size && !done && Date.now() < deadline) {
        const topics = new Map<string, Array<{ partition: number; fetchOffset: bigint; partitionMaxBytes: number; currentLeaderEpoch: number; lastFetchedEpoch: number }>>();
        for (const p of pending.values()) topics.set(idOf(p.topic), [...(topics.get(idOf(p.topic)) ?? []), { partition: p.partition, fetchOffset: p.offset, partitionMaxBytes: 1 << 20, currentLeaderEpoch: -1, lastFetchedEpoch: -1 }]);
        const request = [...topics].map(([topicId, partitions]) => ({ topicId, partitions }));
        const response = await new Promise<FetchAnswer>((resolve, reject) =>
          // maxWait, minBytes, maxBytes, isolation level 0 (read uncommitted), no session, no forgotten topics, no rack.
          api(connection, 100, 1, 8 << 20, 0, 0, -1, request, [], '', (error: (Error & { response?: FetchAnswer }) | null, answer?: FetchAnswer) =>
            error && !error.response ? reject(error) : resolve((answer ?? error?.response) as FetchAnswer),
          ),
        );
        for (const topic of response.responses) {
          for (const p of topic.partitions) {
            const key = `${topic.topicId}\u0000${p.partitionIndex}`;
            const target = pending.get(key);
            const batches = p.records ?? [];
            const last = batches[batches.length - 1];
            if (!target || done) continue;
            const data = batches.filter((b) => !(b.attributes & 0x20)).pop(); // not a transaction marker
            if (data) found.set(`${target.topic}\u0000${target.partition}`, Number(data.producerId));
            target.offset = last ? last.firstOffset + BigInt(last.lastOffsetDelta) + 1n : p.highWatermark;
            if (p.errorCode || target.offset >= p.highWatermark) pending.delete(key);
          }
        }
      }
    };
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all([...byLeader].map((leader) => sample(leader).catch(() => undefined))),
      new Promise((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now())))),
    ]).finally(() => {
      done = true;
      clearTimeout(timer);
    });
    return found;
  }

  /**
   * CreateTopics with validateOnly (the library's createTopics cannot set it), on the Admin's
   * negotiated CreateTopics version: the broker checks names, partitions, replicas and configs and
   * creates nothing. As kafkajs answers: true when valid, false when every topic already exists,
   * otherwise the broker's reason as an error shaped like createTopics' own.
   */
  private async validateTopics(topics: NewTopic[], timeoutMs: number): Promise<boolean> {
    const admin = internals(this.admin);
    const connection = await this.connectionTo('controller');
    const api = await this.call(() => new Promise<(...args: unknown[]) => void>((resolve, reject) => admin.getApi('CreateTopics', (e, a) => (e ? reject(e) : resolve(a)))));
    const requests = topics.map((t) => ({
      name: t.topic,
      numPartitions: t.numPartitions ?? -1,
      replicationFactor: t.replicationFactor ?? -1,
      assignments: [],
      configs: (t.configEntries ?? []).map((c) => ({ name: c.name, value: c.value })),
    }));
    try {
      await new Promise((resolve, reject) => api(connection, requests, timeoutMs, true, (e: unknown, r: unknown) => (e ? reject(e) : resolve(r))));
      return true;
    } catch (error) {
      const leaves = protocolLeaves(error);
      if (leaves.length && leaves.every((e) => e.apiId === 'TOPIC_ALREADY_EXISTS')) return false;
      const mapped = toSuiteError(error, { ...this.context, topic: topics.length === 1 ? topics[0].topic : undefined });
      const reason = leaves.find((e) => e.apiId !== 'TOPIC_ALREADY_EXISTS');
      throw Object.assign(mapped, { errors: [{ type: reason?.apiId ?? mapped.code ?? 'error', message: reason?.serverErrorMessage || reason?.message || mapped.message }] });
    }
  }

  async createTopics(topics: NewTopic[], options: { validateOnly?: boolean; timeoutMs?: number } = {}): Promise<boolean> {
    if (options.validateOnly) return this.validateTopics(topics, options.timeoutMs ?? 30_000);
    let created = false;
    // One request per topic: partitions, replicas and configs are per request in the library's API.
    for (const t of topics) {
      try {
        await this.admin.createTopics({
          topics: [t.topic],
          partitions: t.numPartitions ?? -1,
          replicas: t.replicationFactor ?? -1,
          configs: (t.configEntries ?? []).map((c) => ({ name: c.name, value: c.value })),
        });
        created = true;
      } catch (error) {
        const mapped = toSuiteError(error, { ...this.context, topic: t.topic });
        // As kafkajs: an existing topic is not an error, the answer is false.
        if (mapped.code === 'TOPIC_ALREADY_EXISTS') continue;
        // The Admin node reads per-topic reasons as kafkajs gives them (`errors` of {type, message}).
        const reason = (error as { errors?: Array<{ serverErrorMessage?: string | null; message?: string }> }).errors?.[0];
        throw Object.assign(mapped, { errors: [{ type: mapped.code ?? 'error', message: reason?.serverErrorMessage || reason?.message || mapped.message }] });
      }
    }
    return created;
  }

  deleteTopics(topics: string[]): Promise<void> {
    return this.call(() => this.admin.deleteTopics({ topics }));
  }

  createPartitions(topic: string, count: number): Promise<void> {
    return this.call(() => this.admin.createPartitions({ topics: [{ name: topic, count }] }), { topic });
  }

  async deleteTopicRecords(topic: string, partitions: Array<{ partition: number; offset: string }>): Promise<void> {
    await this.call(
      () => this.admin.deleteRecords({ topics: [{ name: topic, partitions: partitions.map((p) => ({ partition: p.partition, offset: BigInt(p.offset) })) }] }),
      { topic },
    );
  }

  async describeCluster(): Promise<ClusterInfo> {
    const metadata = await this.call(() => this.admin.metadata({ topics: [], forceUpdate: true }));
    return {
      clusterId: metadata.id,
      controller: metadata.controllerId ?? null,
      brokers: [...metadata.brokers.entries()].map(([nodeId, b]) => ({ nodeId, host: b.host, port: b.port, rack: b.rack })),
    };
  }

  private async partitionCount(topic: string): Promise<number> {
    const metadata = await this.call(() => this.admin.metadata({ topics: [topic] }), { topic });
    const found = metadata.topics.get(topic);
    if (!found) throw new KafkaSuiteError(`Topic "${topic}" does not exist`, { kind: 'protocol', code: 'UNKNOWN_TOPIC_OR_PARTITION', context: { topic } });
    return found.partitionsCount;
  }

  private async offsetsAt(topic: string, timestamp: bigint): Promise<Map<number, bigint>> {
    const count = await this.partitionCount(topic);
    const answer = await this.call(
      () => this.admin.listOffsets({ topics: [{ name: topic, partitions: Array.from({ length: count }, (_, partitionIndex) => ({ partitionIndex, timestamp })) }] }),
      { topic },
    );
    return new Map((answer[0]?.partitions ?? []).map((p) => [p.partitionIndex, p.offset]));
  }

  async fetchTopicOffsets(topic: string): Promise<PartitionOffsets[]> {
    const [low, high] = await Promise.all([this.offsetsAt(topic, EARLIEST), this.offsetsAt(topic, LATEST)]);
    return [...high.keys()].sort((a, b) => a - b).map((partition) => ({ partition, low: String(low.get(partition) ?? 0n), high: String(high.get(partition)) }));
  }

  async fetchTopicOffsetsByTimestamp(topic: string, timestampMs: number): Promise<Array<{ partition: number; offset: string }>> {
    const [at, high] = await Promise.all([this.offsetsAt(topic, BigInt(timestampMs)), this.offsetsAt(topic, LATEST)]);
    // Kafka answers -1 where no record is at or after the time: the end offset, as kafkajs returns.
    return [...high.keys()].sort((a, b) => a - b).map((partition) => {
      const offset = at.get(partition) ?? -1n;
      return { partition, offset: String(offset < 0n ? high.get(partition) : offset) };
    });
  }

  async listGroups(): Promise<GroupListing[]> {
    // The library lists classic groups only unless told otherwise; an empty filter is every type.
    const groups = await this.call(() => this.admin.listGroups({ types: [] }));
    return [...groups.values()].map((g) => ({ groupId: g.id, protocolType: g.protocolType, groupType: g.groupType?.toLowerCase() }));
  }

  async describeGroups(groupIds: string[]): Promise<GroupDescription[]> {
    if (!groupIds.length) return [];
    // DescribeGroups answers for classic groups only; a KIP-848 group is described by ConsumerGroupDescribe,
    // which the library does not wrap. Its listing (ListGroups v5) still carries the group type.
    const [described, listed] = await Promise.all([this.describeOnCoordinators(groupIds), this.listGroups()]);
    const types = new Map(listed.map((g) => [g.groupId, g.groupType]));
    return groupIds.map((groupId) => {
      const g = described.get(groupId);
      // Only the consumer protocol's bytes are ours to decode; another protocol's (Kafka Connect's
      // "connect", a stream app's...) stay raw, as kafkajs gives them.
      const consumer = g?.protocolType === 'consumer';
      return {
        groupId,
        state: g?.groupState ?? 'Dead',
        protocolType: g?.protocolType ?? '',
        protocol: g?.protocolData ?? '',
        groupType: types.get(groupId),
        errorCode: g?.errorCode ?? 0,
        members: (g?.members ?? []).map((m) => ({
          memberId: m.memberId,
          clientId: m.clientId,
          clientHost: m.clientHost,
          groupInstanceId: m.groupInstanceId,
          memberMetadata: m.memberMetadata,
          memberAssignment: m.memberAssignment,
          ...(consumer ? { assignment: decodeAssignment(m.memberAssignment) } : {}),
        })),
      };
    });
  }

  /**
   * DescribeGroups sent by us to each group's coordinator, on the Admin's negotiated version. The
   * library's describeGroups decodes every member's metadata as consumer protocol whatever the
   * group's protocolType: a Kafka Connect group's throws "Out of bounds" inside the connection's
   * response handler, its callback never fires and the call ends at the request timeout. Groups
   * whose coordinator moved or is loading, or whose connection failed, are asked
   * again (a fresh FindCoordinator), up to 5 times.
   */
  private async describeOnCoordinators(groupIds: string[]): Promise<Map<string, DescribedGroup>> {
    const found = new Map<string, DescribedGroup>();
    const admin = internals(this.admin);
    let pending = [...new Set(groupIds)];
    let failure: unknown;
    for (let attempt = 1; pending.length; attempt++) {
      const keys = pending;
      const coordinators = await this.call(() => this.admin.findCoordinator({ keyType: lib().FindCoordinatorKeyTypes.GROUP, keys }));
      const byBroker = new Map<number, { host: string; port: number; groups: string[] }>();
      for (const c of coordinators) {
        const at = byBroker.get(c.nodeId) ?? { host: c.host, port: c.port, groups: [] };
        at.groups.push(c.key);
        byBroker.set(c.nodeId, at);
      }
      const again: string[] = [];
      const answers = await Promise.all(
        [...byBroker.values()].map(async (coordinator): Promise<DescribedGroup[]> => {
          const broker = `${coordinator.host}:${coordinator.port}`;
          try {
            const connection = await this.call(() => new Promise<Connection>((resolve, reject) => admin.getConnection(coordinator, (e, c) => (e ? reject(e) : resolve(c)))), { broker });
            const api = await this.call(() => new Promise<(...args: unknown[]) => void>((resolve, reject) => admin.getApi('DescribeGroups', (e, a) => (e ? reject(e) : resolve(a)))));
            return await new Promise<DescribedGroup[]>((resolve, reject) =>
              api(connection, coordinator.groups, false, (error: unknown, response?: { groups: DescribedGroup[] }) => {
                // A group with an error code fails the whole response; the other groups are in it.
                const groups = response?.groups ?? (error as { response?: { groups?: DescribedGroup[] } } | null)?.response?.groups;
                if (groups) {
                  if (error) failure = error;
                  resolve(groups);
                } else reject(toSuiteError(error, { ...this.context, broker }));
              }),
            );
          } catch (error) {
            // A lost connection: these groups are asked again. Not a timeout (the library does not retry those either).
            if (!(error instanceof KafkaSuiteError && error.kind === 'tcp' && attempt < 5)) throw error;
            again.push(...coordinator.groups);
            return [];
          }
        }),
      );
      for (const group of answers.flat()) {
        if (COORDINATOR_NOT_READY.has(group.errorCode) && attempt < 5) again.push(group.groupId);
        else found.set(group.groupId, group);
      }
      pending = again;
      if (again.length) await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
    }
    const refused = [...found.values()].find((g) => g.errorCode !== 0);
    if (refused) throw toSuiteError(failure, { ...this.context, group: refused.groupId });
    return found;
  }

  deleteGroups(groupIds: string[]): Promise<void> {
    return this.call(() => this.admin.deleteGroups({ groups: groupIds }));
  }

  async fetchOffsets(groupId: string, topics?: string[]): Promise<CommittedOffsets[]> {
    let request: Parameters<Admin['listConsumerGroupOffsets']>[0]['groups'][number] = groupId;
    if (topics?.length) {
      const counts = await Promise.all(topics.map((t) => this.partitionCount(t)));
      request = { groupId, topics: topics.map((name, i) => ({ name, partitionIndexes: Array.from({ length: counts[i] }, (_, p) => p) })) };
    }
    const answer = await this.call(() => this.admin.listConsumerGroupOffsets({ groups: [request] }), { group: groupId });
    return (answer[0]?.topics ?? []).map((t) => ({
      topic: t.name,
      partitions: t.partitions.map((p) => ({ partition: p.partitionIndex, offset: String(p.committedOffset), metadata: p.metadata })),
    }));
  }

  async setOffsets(groupId: string, topic: string, partitions: Array<{ partition: number; offset: string }>): Promise<void> {
    await this.call(
      () => this.admin.alterConsumerGroupOffsets({ groupId, topics: [{ name: topic, partitionOffsets: partitions.map((p) => ({ partition: p.partition, offset: BigInt(p.offset) })) }] }),
      { group: groupId, topic },
    );
  }

  async commitOffsets(groupId: string, offsets: TopicPartitionOffset[]): Promise<void> {
    const byTopic = new Map<string, Array<{ partition: number; offset: bigint }>>();
    for (const o of offsets) byTopic.set(o.topic, [...(byTopic.get(o.topic) ?? []), { partition: o.partition, offset: BigInt(o.offset) }]);
    await this.call(
      () => this.admin.alterConsumerGroupOffsets({ groupId, topics: [...byTopic].map(([name, partitionOffsets]) => ({ name, partitionOffsets })) }),
      { group: groupId },
    );
  }

  async describeConfigs(resources: Array<{ kind: ConfigResourceKind; name: string; configNames?: string[] }>): Promise<ResourceConfigs[]> {
    const answer = await this.call(() =>
      this.admin.describeConfigs({
        resources: resources.map((r) => ({ resourceType: CONFIG_RESOURCE[r.kind] as never, resourceName: r.name, configurationKeys: r.configNames ?? null })),
      }),
    );
    return answer.map((r) => ({
      kind: CONFIG_RESOURCE_NAME.get(r.resourceType) ?? 'topic',
      name: r.resourceName,
      entries: r.configs.map((c) => ({
        name: c.name,
        value: c.value ?? null,
        readOnly: c.readOnly,
        isDefault: c.configSource === 5,
        source: CONFIG_SOURCE_NAME.get(c.configSource) ?? String(c.configSource),
        isSensitive: c.isSensitive,
      })),
    }));
  }

  alterConfigs(resources: Array<{ kind: ConfigResourceKind; name: string; entries: Array<{ name: string; value: string }> }>): Promise<void> {
    return this.call(() =>
      this.admin.alterConfigs({
        resources: resources.map((r) => ({ resourceType: CONFIG_RESOURCE[r.kind] as never, resourceName: r.name, configs: r.entries.map((e) => ({ name: e.name, value: e.value })) })),
      }),
    );
  }

  private filter(filter: AclFilter) {
    return {
      resourceType: RESOURCE[filter.resourceType ?? 'any'],
      resourceName: filter.resourceName ?? null,
      resourcePatternType: PATTERN[filter.patternType ?? 'any'],
      principal: filter.principal ?? null,
      host: filter.host ?? null,
      operation: OPERATION[filter.operation ?? 'any'],
      permissionType: PERMISSION[filter.permission ?? 'any'],
    } as never;
  }

  private binding(acl: { resourceType: number; resourceName: string; resourcePatternType: number; principal: string; host: string; operation: number; permissionType: number }): AclBinding {
    return {
      resourceType: RESOURCE_NAME.get(acl.resourceType) ?? 'any',
      resourceName: acl.resourceName,
      patternType: PATTERN_NAME.get(acl.resourcePatternType) ?? 'any',
      principal: acl.principal,
      host: acl.host,
      operation: OPERATION_NAME.get(acl.operation) ?? 'any',
      permission: PERMISSION_NAME.get(acl.permissionType) ?? 'any',
    };
  }

  async describeAcls(filter: AclFilter): Promise<AclBinding[]> {
    const resources = await this.call(() => this.admin.describeAcls({ filter: this.filter(filter) }));
    return resources.flatMap((r) => r.acls.map((a) => this.binding({ ...r, ...a })));
  }

  createAcls(acls: AclBinding[]): Promise<void> {
    return this.call(() => this.admin.createAcls({ creations: acls.map((a) => this.filter(a)) }));
  }

  async deleteAcls(filters: AclFilter[]): Promise<AclBinding[]> {
    const deleted = await this.call(() => this.admin.deleteAcls({ filters: filters.map((f) => this.filter(f)) }));
    return deleted.map((a) => this.binding(a as never));
  }

  /** The group coordinator's broker id (transactional offset commits go there). */
  async groupCoordinator(groupId: string): Promise<number> {
    const answer = await this.call(() => this.admin.findCoordinator({ keyType: lib().FindCoordinatorKeyTypes.GROUP, keys: [groupId] }), { group: groupId });
    const found = answer.find((c) => c.key === groupId) ?? answer[0];
    if (!found) throw new KafkaSuiteError(`No coordinator found for group "${groupId}"`, { kind: 'protocol', context: { group: groupId } });
    return found.nodeId;
  }
}

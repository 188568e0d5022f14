/**
 * Reads what the advisor judges (advisor.ts) and what the catalog documents (catalog.ts) from a
 * live cluster: brokers, topic layout and configs, recent traffic from the broker's time index,
 * groups with their lag, and optionally the producer id of each partition's newest records.
 */
import { randomUUID } from 'node:crypto';
import type { KafkaAdmin, TopicMetadata } from '../kafka/api';
import type { ClusterSnapshot, ConfigValue, SnapshotGroup, SnapshotTopic } from './advisor';
import { decodeMembers } from './groups';
import { configSourceLabel } from './topics';
import { computePartitionLag } from './lag';

/** Consumer groups the advisor opens to sample records; never reported as the user's groups. */
export const AUDIT_GROUP_PREFIX = 'kafka-suite-audit-';


export interface SnapshotOptions {
  /** Which topics to look at; internal topics (`__…`) are skipped unless included. */
  topicMatches?: (name: string) => boolean;
  includeInternal?: boolean;
  /** Length of the "recent traffic" window read from the time index. */
  windowMs: number;
  /** Read each partition's newest records to see whether their producer was idempotent. */
  sampleRecords?: boolean;
  sampleTimeoutMs?: number;
  /** Skip consumer groups entirely (the catalog still reads them; the capacity operation does not). */
  includeGroups?: boolean;
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      out[index] = await fn(items[index]);
    }
  });
  await Promise.all(workers);
  return out;
}

async function describeMany(admin: KafkaAdmin, type: 'topic' | 'broker', names: string[]): Promise<Map<string, Record<string, ConfigValue>>> {
  const out = new Map<string, Record<string, ConfigValue>>();
  for (let start = 0; start < names.length; start += 100) {
    // A resource the broker cannot describe fails the call (a KafkaSuiteError naming it).
    const resources = await admin.describeConfigs(names.slice(start, start + 100).map((name) => ({ kind: type, name })));
    for (const resource of resources) {
      out.set(resource.name, Object.fromEntries(resource.entries.map((e) => [e.name, { value: e.value, source: configSourceLabel(e.source) }])));
    }
  }
  return out;
}

function isLeaderless(error: unknown): boolean {
  for (let e = error as { type?: string; originalError?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; depth++) {
    if (e.type === 'LEADER_NOT_AVAILABLE') return true;
    e = (e.originalError ?? e.cause) as typeof e;
  }
  return false;
}


/**
 * Topic layouts. A partition without a leader makes the broker's metadata answer carry an error,
 * which the client turns into a failure of the whole request; the audit then asks topic by topic
 * and reports the topics it cannot describe as leaderless instead of failing.
 */
async function readMetadata(admin: KafkaAdmin, names: string[]): Promise<{ topics: TopicMetadata[]; leaderless: Set<string> }> {
  if (!names.length) return { topics: [], leaderless: new Set() };
  try {
    return { topics: await admin.fetchTopicMetadata(names), leaderless: new Set() };
  } catch (error) {
    if (!isLeaderless(error)) throw error;
  }
  const leaderless = new Set<string>();
  const found = await mapLimit(names, 8, async (name) => {
    try {
      return (await admin.fetchTopicMetadata([name]))[0];
    } catch (error) {
      if (!isLeaderless(error)) throw error;
      leaderless.add(name);
      return undefined;
    }
  });
  return { topics: found.filter((t): t is TopicMetadata => t !== undefined), leaderless };
}

export async function collectClusterSnapshot(admin: KafkaAdmin, options: SnapshotOptions): Promise<ClusterSnapshot> {
  let cluster: Awaited<ReturnType<KafkaAdmin['describeCluster']>>;
  try {
    cluster = await admin.describeCluster();
  } catch (error) {
    // The client asks for every topic's metadata even to describe the brokers, and fails the
    // whole answer when one partition has no leader: say exactly that rather than fail.
    if (!isLeaderless(error)) throw error;
    return { brokers: [], controller: null, brokerConfigs: {}, topics: [], groups: [], windowMs: options.windowMs, recordsSampled: false, topicsUnavailable: true, brokersUnknown: true };
  }
  const brokers = cluster.brokers.map((b) => ({ nodeId: b.nodeId, host: b.host, port: b.port })).sort((a, b) => a.nodeId - b.nodeId);
  const matches = options.topicMatches ?? (() => true);
  let listed: string[];
  try {
    listed = await admin.listTopics();
  } catch (error) {
    // The client fails the whole topic listing when any partition has no leader; the audit then
    // reports that (a critical finding) instead of failing, with what it can still read.
    if (!isLeaderless(error)) throw error;
    const brokerConfigs = brokers.length ? ((await describeMany(admin, 'broker', [String(brokers[0].nodeId)])).get(String(brokers[0].nodeId)) ?? {}) : {};
    return { brokers, controller: cluster.controller ?? null, brokerConfigs, topics: [], groups: [], windowMs: options.windowMs, recordsSampled: false, topicsUnavailable: true };
  }
  const names = listed.filter((n) => (options.includeInternal || !n.startsWith('__')) && matches(n)).sort();
  const { topics: metadata, leaderless } = await readMetadata(admin, names);
  const configs = await describeMany(admin, 'topic', names);
  const brokerConfigs = brokers.length ? ((await describeMany(admin, 'broker', [String(brokers[0].nodeId)])).get(String(brokers[0].nodeId)) ?? {}) : {};
  const since = Date.now() - options.windowMs;
  const byName = new Map(metadata.map((t) => [t.name, t]));
  const live = new Set(brokers.map((b) => b.nodeId));
  const topics: SnapshotTopic[] = await mapLimit(names, 8, async (name) => {
    // Offsets are served by partition leaders: a topic with a partition that has none cannot
    // answer ListOffsets at all, and the audit must still report it (as offline) rather than fail.
    const layout = byName.get(name);
    const reachable = layout !== undefined && layout.partitions.every((p) => p.leader >= 0 && live.has(p.leader));
    const none = Promise.resolve([] as Array<{ partition: number; offset: string; high?: string; low?: string }>);
    const [marks, atWindowStart] = await Promise.all([
      reachable ? admin.fetchTopicOffsets(name) : (none as unknown as ReturnType<KafkaAdmin['fetchTopicOffsets']>),
      reachable && options.windowMs > 0 ? admin.fetchTopicOffsetsByTimestamp(name, since) : none,
    ]);
    const markOf = new Map(marks.map((m) => [m.partition, m]));
    const startOf = new Map(atWindowStart.map((m) => [m.partition, m.offset]));
    const partitions = [...(byName.get(name)?.partitions ?? [])]
      .sort((a, b) => a.partition - b.partition)
      .map((p) => {
        const high = markOf.get(p.partition)?.high ?? '0';
        const low = markOf.get(p.partition)?.low ?? '0';
        return {
          partition: p.partition,
          leader: p.leader,
          replicas: p.replicas,
          isr: p.isr,
          offlineReplicas: p.offlineReplicas ?? [],
          low,
          high,
          recentMessages: computePartitionLag(startOf.get(p.partition) ?? high, high),
        };
      });
    return { name, partitions, configs: configs.get(name) ?? {}, ...(leaderless.has(name) ? { leaderless: true } : {}) };
  });

  if (options.sampleRecords) {
    // A few records back from the end: the very last ones may be transaction markers, which carry no data.
    const targets = topics.flatMap((t) =>
      t.partitions
        .filter((p) => BigInt(p.high) > BigInt(p.low))
        .map((p) => {
          const high = BigInt(p.high);
          const from = high - 10n > BigInt(p.low) ? high - 10n : BigInt(p.low);
          return { topic: t.name, partition: p.partition, from: from.toString() };
        }),
    );
    const ids = admin.newestProducerIds
      ? await admin.newestProducerIds(targets, { groupId: `${AUDIT_GROUP_PREFIX}${randomUUID()}`, timeoutMs: options.sampleTimeoutMs ?? 15_000 })
      : new Map<string, number>();
    for (const t of topics) for (const p of t.partitions) if (ids.has(`${t.name}\u0000${p.partition}`)) (p as { lastProducerId?: number }).lastProducerId = ids.get(`${t.name}\u0000${p.partition}`);
  }

  const groups: SnapshotGroup[] = options.includeGroups === false ? [] : await collectGroups(admin, topics);
  return { brokers, controller: cluster.controller ?? null, brokerConfigs, topics, groups, windowMs: options.windowMs, recordsSampled: Boolean(options.sampleRecords && admin.newestProducerIds) };
}

async function collectGroups(admin: KafkaAdmin, topics: SnapshotTopic[]): Promise<SnapshotGroup[]> {
  const endOf = new Map<string, string>();
  for (const t of topics) for (const p of t.partitions) endOf.set(`${t.name}\u0000${p.partition}`, p.high);
  const inScope = new Set(topics.map((t) => t.name));
  const ids = (await admin.listGroups())
    .map((g) => g.groupId)
    .filter((id) => !id.startsWith(AUDIT_GROUP_PREFIX))
    .sort();
  const out: SnapshotGroup[] = [];
  for (let start = 0; start < ids.length; start += 50) {
    const groups = await admin.describeGroups(ids.slice(start, start + 50));
    const rows = await mapLimit(groups, 8, async (g): Promise<SnapshotGroup | undefined> => {
      if (g.state === 'Dead') return undefined;
      // Connect workers use the group protocol for task assignment and commit no offsets there.
      const committed = g.protocolType === 'consumer' || g.protocolType === '' ? await admin.fetchOffsets(g.groupId) : [];
      const offsets = committed
        .filter((t) => inScope.has(t.topic))
        .flatMap((t) =>
          t.partitions
            .filter((p) => Number(p.offset) >= 0)
            .map((p) => {
              const logEnd = endOf.get(`${t.topic}\u0000${p.partition}`) ?? '0';
              return { topic: t.topic, partition: p.partition, committed: p.offset, logEnd, lag: computePartitionLag(p.offset, logEnd) };
            }),
        )
        .sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
      const assigned = decodeMembers(g).flatMap((m) => m.assignment.map((a) => a.topic));
      const topicsRead = [...new Set([...assigned, ...committed.filter((t) => t.partitions.some((p) => Number(p.offset) >= 0)).map((t) => t.topic)])].sort();
      return { groupId: g.groupId, state: g.state, protocolType: g.protocolType, members: g.members.length, topics: topicsRead, offsets };
    });
    out.push(...rows.filter((r): r is SnapshotGroup => r !== undefined));
  }
  return out;
}

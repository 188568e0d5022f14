import { KafkaSuiteError, type KafkaConnection } from '../../shared';

export interface PartitionInfo {
  partitionId: number;
  leader: number;
}

export interface TopicInfo {
  name: string;
  partitions: PartitionInfo[];
  /** The topic's `max.message.bytes`: the largest record batch the broker accepts. */
  maxMessageBytes: number;
}

/** Kafka's default `message.max.bytes`, used when the topic config cannot be read (e.g. no DescribeConfigs ACL). */
export const DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;
const TTL_MS = 30_000;

const cache = new Map<string, { info: TopicInfo | null; at: number }>();

/**
 * Partition layout and size limit of each topic, from the pooled admin client, cached for 30 s.
 * The Producer needs them before sending: partitions to know each message's partition (so every
 * item gets its exact offset back) and the size limit to refuse an oversized item on its own
 * instead of failing the whole request. A topic that does not exist maps to `null`.
 */
export async function describeTopics(connection: KafkaConnection, topics: string[], now = Date.now()): Promise<Map<string, TopicInfo | null>> {
  const clusterKey = connection.key;
  const result = new Map<string, TopicInfo | null>();
  const missing: string[] = [];
  for (const topic of new Set(topics)) {
    const hit = cache.get(`${clusterKey}:${topic}`);
    if (hit && now - hit.at < TTL_MS) result.set(topic, hit.info);
    else missing.push(topic);
  }
  if (!missing.length) return result;

  await connection.withAdmin(async (admin) => {
    const existing = new Set(await admin.listTopics());
    const known = missing.filter((topic) => existing.has(topic));
    for (const topic of missing) if (!existing.has(topic)) result.set(topic, null);
    if (!known.length) return;
    const metadata = await admin.fetchTopicMetadata(known);
    const limits = new Map<string, number>();
    try {
      const configs = await admin.describeConfigs(known.map((name) => ({ kind: 'topic' as const, name, configNames: ['max.message.bytes'] })));
      for (const resource of configs) {
        const entry = resource.entries.find((candidate) => candidate.name === 'max.message.bytes');
        if (entry && Number(entry.value) > 0) limits.set(resource.name, Number(entry.value));
      }
    } catch {
      // Reading configs needs the DescribeConfigs permission; without it the broker default is
      // assumed and the broker stays the judge of sizes.
      limits.clear();
    }
    for (const topic of metadata) {
      result.set(topic.name, {
        name: topic.name,
        partitions: topic.partitions.map((p) => ({ partitionId: p.partition, leader: p.leader })).sort((a, b) => a.partitionId - b.partitionId),
        maxMessageBytes: limits.get(topic.name) ?? DEFAULT_MAX_MESSAGE_BYTES,
      });
    }
  });
  // Only existing topics are cached: a topic created a moment later must be usable at once.
  for (const topic of missing) {
    const info = result.get(topic);
    if (info) cache.set(`${clusterKey}:${topic}`, { info, at: now });
  }
  return result;
}

/** Drops cached layouts, e.g. after a send failed because partitions changed. */
export function forgetTopics(connection: KafkaConnection, topics: Iterable<string>): void {
  const names = [...topics];
  for (const topic of names) cache.delete(`${connection.key}:${topic}`);
  connection.forgetTopics(names);
}

export function unknownTopicError(topic: string): KafkaSuiteError {
  return new KafkaSuiteError(`Topic "${topic}" does not exist on the cluster (create it first; the Producer never auto-creates topics)`, {
    kind: 'config',
    context: { topic, field: 'topic' },
  });
}

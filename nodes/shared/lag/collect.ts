// The broker side of lag checking: one admin round per run (list groups, describe them, their
// committed offsets, the log ends of the topics they read). Everything else is pure (evaluate.ts).
import type { KafkaClusterCredential } from '../credentialTypes';
import { KafkaSuiteError, toKafkaSuiteError } from '../errors';
import { openConnection } from '../kafka';
import type { KafkaAdmin } from '../kafka/api';
import type { GroupSnapshot, LagSnapshot, PartitionSnapshot } from './evaluate';
import { parseOffset } from './math';
import { selectGroups, type GroupSelection } from './selection';

const CONCURRENCY = 8;

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
    }
  });
  await Promise.all(workers);
  return results;
}

/** Only consumer groups carry offsets; Connect and other protocols also show up in ListGroups. */
const isConsumerGroup = (protocolType: string | undefined): boolean => !protocolType || protocolType === 'consumer';

export interface CollectResult {
  snapshot: LagSnapshot;
  /** Named groups the cluster does not know. */
  missing: string[];
}

const isUnknownTopic = (error: unknown): boolean => toKafkaSuiteError(error).code === 'UNKNOWN_TOPIC_OR_PARTITION';

export async function collectLagSnapshot(cred: KafkaClusterCredential, selection: GroupSelection): Promise<CollectResult> {
  const connection = openConnection(cred);
  try {
    return await connection.withAdmin((admin) => collectWith(admin, selection));
  } catch (error) {
    if (!isUnknownTopic(error)) throw toKafkaSuiteError(error);
  }
  // A client may keep every topic it ever asked about in its metadata requests, so a
  // topic deleted since makes that pooled admin fail; the pool has retired it, and one retry gets a fresh one.
  try {
    return await connection.withAdmin((admin) => collectWith(admin, selection));
  } catch (error) {
    throw toKafkaSuiteError(error);
  }
}

export async function collectWith(admin: KafkaAdmin, selection: GroupSelection): Promise<CollectResult> {
  const listed = await admin.listGroups();
  const existing = listed.filter((g) => isConsumerGroup(g.protocolType)).map((g) => g.groupId);
  const { present, missing } = selectGroups(selection, existing);

  const described = present.length ? await admin.describeGroups(present) : [];
  const descriptions = new Map(described.map((d) => [d.groupId, d]));

  const committedByGroup = await mapLimited(present, CONCURRENCY, async (groupId) => ({
    groupId,
    topics: await admin.fetchOffsets(groupId),
  }));

  // Groups keep offsets of deleted topics; asking the client about those could poison its metadata.
  const existingTopics = new Set(await admin.listTopics());
  const topics = [...new Set(committedByGroup.flatMap((g) => g.topics.map((t) => t.topic)))].filter((t) => existingTopics.has(t)).sort();
  const logEnds = new Map<string, Map<number, number>>();
  await mapLimited(topics, CONCURRENCY, async (topic) => {
    try {
      const offsets = await admin.fetchTopicOffsets(topic);
      logEnds.set(topic, new Map(offsets.map((o) => [o.partition, Number(o.high)])));
    } catch (error) {
      // A group can keep offsets for a topic deleted since; that topic has no log end to compare with.
      const kafkaError = toKafkaSuiteError(error, { topic });
      if (kafkaError.code === 'UNKNOWN_TOPIC_OR_PARTITION') return;
      throw kafkaError;
    }
  });
  // Log ends are read after the committed offsets, so a lag can only be overstated by what was
  // produced in between, never come out negative from the ordering.
  const at = Date.now();

  const groups: GroupSnapshot[] = committedByGroup.map(({ groupId, topics: committed }) => {
    const description = descriptions.get(groupId);
    const partitions: PartitionSnapshot[] = [];
    for (const { topic, partitions: parts } of committed) {
      const ends = logEnds.get(topic);
      if (!ends) continue;
      for (const { partition, offset } of parts) {
        const logEnd = ends.get(partition);
        if (logEnd === undefined) continue;
        partitions.push({ topic, partition, committed: parseOffset(offset), logEnd });
      }
    }
    partitions.sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
    const dead = description?.state === 'Dead';
    return { group: groupId, found: !dead, state: description?.state, members: description?.members.length, partitions };
  });
  for (const name of missing) groups.push({ group: name, found: false, partitions: [] });
  return { snapshot: { at, groups }, missing };
}

export function notFoundError(missing: readonly string[]): KafkaSuiteError {
  const list = missing.map((name) => `"${name}"`).join(', ');
  return new KafkaSuiteError(`Consumer group${missing.length > 1 ? 's' : ''} ${list} not found on the cluster (no such group in ListGroups)`, {
    kind: 'config',
    context: { field: 'groups', group: missing.join(',') },
  });
}

export function noGroupMatchesError(pattern: string): KafkaSuiteError {
  return new KafkaSuiteError(`No consumer group on the cluster matches ${pattern}`, { kind: 'config', context: { field: 'groups' } });
}

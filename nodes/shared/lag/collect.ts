// The broker side of lag checking: one admin round per run (list groups, describe them, their
// committed offsets, the log ends of the topics they read). Everything else is pure (evaluate.ts).
import type { KafkaClusterCredential } from '../credentialTypes';
import { KafkaSuiteError, toKafkaSuiteError } from '../errors';
import { openConnection, withShareAdmin } from '../kafka';
import type { KafkaAdmin, KafkaShareAdmin } from '../kafka/api';
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

/** Consumer groups (committed offsets) or share groups (KIP-932: share-partition start offsets and lag). */
export type LagGroupType = 'consumer' | 'share';

export async function collectLagSnapshot(cred: KafkaClusterCredential, selection: GroupSelection, groupType: LagGroupType = 'consumer'): Promise<CollectResult> {
  const connection = openConnection(cred);
  if (groupType === 'share') {
    try {
      return await withShareAdmin(connection, (share) => connection.withAdmin((admin) => collectShareWith(share, admin, selection)));
    } catch (error) {
      throw toKafkaSuiteError(error);
    }
  }
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

/**
 * Share groups through the same snapshot: a share-partition's "committed" offset is the log end less
 * the lag the broker reports (records neither acknowledged nor archived), so the pipeline's lag equals
 * the broker's share lag and advances as records are acknowledged. Where the broker reports no lag
 * (DescribeShareGroupOffsets v0) the start offset stands in.
 */
export async function collectShareWith(share: KafkaShareAdmin, admin: KafkaAdmin, selection: GroupSelection): Promise<CollectResult> {
  const listed = await share.listShareGroups();
  const { present, missing } = selectGroups(
    selection,
    listed.map((g) => g.groupId),
  );
  const described = present.length ? await share.describeShareGroups(present) : [];
  const descriptions = new Map(described.map((d) => [d.groupId, d]));
  const offsetsByGroup = await mapLimited(present, CONCURRENCY, async (groupId) => ({ groupId, rows: await share.fetchShareGroupOffsets(groupId) }));
  const existingTopics = new Set(await admin.listTopics());
  const topics = [...new Set(offsetsByGroup.flatMap((g) => g.rows.map((r) => r.topic)))].filter((t) => existingTopics.has(t)).sort();
  const logEnds = new Map<string, Map<number, number>>();
  await mapLimited(topics, CONCURRENCY, async (topic) => {
    const offsets = await admin.fetchTopicOffsets(topic);
    logEnds.set(topic, new Map(offsets.map((o) => [o.partition, Number(o.high)])));
  });
  const at = Date.now();
  const groups: GroupSnapshot[] = offsetsByGroup.map(({ groupId, rows }) => {
    const description = descriptions.get(groupId);
    const partitions: PartitionSnapshot[] = [];
    for (const row of rows) {
      const logEnd = logEnds.get(row.topic)?.get(row.partition);
      if (logEnd === undefined) continue;
      const committed = row.lag !== null ? Math.max(0, logEnd - Number(row.lag)) : parseOffset(row.startOffset);
      partitions.push({ topic: row.topic, partition: row.partition, committed, logEnd });
    }
    partitions.sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
    return { group: groupId, found: description?.found !== false && description?.state !== 'Dead', state: description?.state, members: description?.members.length, partitions };
  });
  for (const name of missing) groups.push({ group: name, found: false, partitions: [] });
  return { snapshot: { at, groups }, missing };
}

const GROUP_NOUN: Record<LagGroupType, string> = { consumer: 'Consumer group', share: 'Share group' };

export function notFoundError(missing: readonly string[], groupType: LagGroupType = 'consumer'): KafkaSuiteError {
  const list = missing.map((name) => `"${name}"`).join(', ');
  return new KafkaSuiteError(`${GROUP_NOUN[groupType]}${missing.length > 1 ? 's' : ''} ${list} not found on the cluster (no such group in ListGroups)`, {
    kind: 'config',
    context: { field: 'groups', group: missing.join(',') },
  });
}

export function noGroupMatchesError(pattern: string, groupType: LagGroupType = 'consumer'): KafkaSuiteError {
  return new KafkaSuiteError(`No ${GROUP_NOUN[groupType].toLowerCase()} on the cluster matches ${pattern}`, { kind: 'config', context: { field: 'groups' } });
}

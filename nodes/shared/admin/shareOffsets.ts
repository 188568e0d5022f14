/**
 * Share-group (KIP-932) start-offset resets, the twin of ./offsets.ts for consumer groups: the same
 * pure planner (planOffsetReset, with the share-partition start offset where a consumer group has its
 * committed offset) and the same undo snapshot; the I/O reads and writes start offsets through the
 * share admin (DescribeShareGroupOffsets / AlterShareGroupOffsets) and watermarks through the admin.
 */
import { KafkaSuiteError } from '../errors';
import type { KafkaAdmin, KafkaShareAdmin, ShareGroupInfo } from '../kafka/api';
import { selectedPartitionStates, type PartitionState, type PlannedOffset } from './offsets';
import { assertTopicsExist } from './topics';

const key = (topic: string, partition: number) => `${topic}\u0000${partition}`;

export async function describeShareGroupOrThrow(share: KafkaShareAdmin, groupId: string): Promise<ShareGroupInfo> {
  if (!groupId.trim()) throw new KafkaSuiteError('A share group ID is required', { kind: 'config', context: { field: 'groupId' } });
  const [group] = await share.describeShareGroups([groupId]);
  if (!group?.found || group.state === 'Dead') {
    throw new KafkaSuiteError(`Share group "${groupId}" does not exist`, { kind: 'config', context: { field: 'groupId' } });
  }
  return group;
}

/** The message for a share group whose start offsets cannot change now (it has members). */
export function shareGroupActiveMessage(groupId: string, state: string, members: number): string {
  return (
    `Share group "${groupId}" is active (state ${state}, ${members} member(s)). The broker refuses to change the start offsets of a ` +
    'share group with members (GROUP_NOT_EMPTY): stop its consumers first (e.g. deactivate the workflows whose Kafka Trigger reads it in Share Group mode). Nothing was changed.'
  );
}

export async function assertShareGroupInactive(share: KafkaShareAdmin, groupId: string): Promise<ShareGroupInfo> {
  const group = await describeShareGroupOrThrow(share, groupId);
  if (group.members.length > 0 || group.state !== 'Empty') {
    throw new KafkaSuiteError(shareGroupActiveMessage(groupId, group.state, group.members.length), { kind: 'config', context: { field: 'groupId' }, code: 'GROUP_NOT_EMPTY' });
  }
  return group;
}

/** Topics the share group has start offsets on (used when the user names no topic). */
export async function topicsWithShareState(share: KafkaShareAdmin, groupId: string): Promise<string[]> {
  const rows = await share.fetchShareGroupOffsets(groupId);
  return [...new Set(rows.filter((r) => r.startOffset !== null).map((r) => r.topic))].sort();
}

/** Start offsets (as `committed`) and watermarks of the share group on `topics`, plus the broker's share lag per partition. */
export async function readSharePartitionStates(
  share: KafkaShareAdmin,
  admin: KafkaAdmin,
  groupId: string,
  topics: string[],
  options: { partitions?: number[]; timestamp?: number } = {},
): Promise<Array<PartitionState & { shareLag: string | null }>> {
  await assertTopicsExist(admin, topics);
  const rows = await share.fetchShareGroupOffsets(groupId, topics);
  const rowOf = new Map(rows.map((r) => [key(r.topic, r.partition), r]));
  return selectedPartitionStates(admin, topics, options, (topic, partition) => {
    const row = rowOf.get(key(topic, partition));
    return { committed: row?.startOffset ?? null, shareLag: row?.lag ?? null };
  });
}

/**
 * Writes the planned start offsets, then reads them back. Refuses while the group has members, with
 * the same words whether we saw the members first or the broker answered GROUP_NOT_EMPTY.
 */
export async function applyShareOffsetPlan(share: KafkaShareAdmin, groupId: string, plan: PlannedOffset[]): Promise<{ verified: boolean; mismatches: PlannedOffset[] }> {
  await assertShareGroupInactive(share, groupId);
  const offsets = plan.map((p) => ({ topic: p.topic, partition: p.partition, offset: p.after }));
  try {
    await share.alterShareGroupOffsets(groupId, offsets);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'GROUP_NOT_EMPTY') {
      const group = await share.describeShareGroups([groupId]).then((g) => g[0]).catch(() => undefined);
      throw new KafkaSuiteError(shareGroupActiveMessage(groupId, group?.state ?? 'unknown', group?.members.length ?? 0), {
        kind: 'config',
        cause: error,
        context: { field: 'groupId' },
        code: 'GROUP_NOT_EMPTY',
      });
    }
    throw error;
  }
  const topics = [...new Set(plan.map((p) => p.topic))];
  const after = await share.fetchShareGroupOffsets(groupId, topics);
  const now = new Map(after.map((r) => [key(r.topic, r.partition), r.startOffset]));
  const mismatches = plan.filter((p) => now.get(key(p.topic, p.partition)) !== p.after);
  return { verified: mismatches.length === 0, mismatches };
}

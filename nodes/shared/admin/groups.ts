import { KafkaSuiteError } from '../errors';
import type { GroupDescription, KafkaAdmin } from '../kafka/api';

export interface MemberAssignmentView {
  memberId: string;
  clientId: string;
  clientHost: string;
  assignment: Array<{ topic: string; partitions: number[] }>;
}

/** Kafka reports an unknown group as state "Dead" with no members rather than as an error. */
export async function describeGroupOrThrow(admin: KafkaAdmin, groupId: string): Promise<GroupDescription> {
  if (!groupId.trim()) throw new KafkaSuiteError('A consumer group ID is required', { kind: 'config', context: { field: 'groupId' } });
  const groups = await admin.describeGroups([groupId]);
  const group = groups.find((g) => g.groupId === groupId);
  if (!group || group.state === 'Dead') {
    throw new KafkaSuiteError(`Consumer group "${groupId}" does not exist`, { kind: 'config', context: { field: 'groupId' } });
  }
  return group;
}

/** Offsets may only be changed from outside a group that has no members (Kafka refuses otherwise). */
export async function assertGroupInactive(admin: KafkaAdmin, groupId: string): Promise<GroupDescription> {
  const group = await describeGroupOrThrow(admin, groupId);
  if (group.members.length > 0 || group.state !== 'Empty') {
    throw new KafkaSuiteError(
      `Consumer group "${groupId}" is active (state ${group.state}, ${group.members.length} member(s)). Stop its consumers first: ` +
        'Kafka accepts offset changes only for an empty group, and a running consumer would overwrite them with its next commit.',
      { kind: 'config', context: { field: 'groupId' } },
    );
  }
  return group;
}

/** Members with the assignment the client decoded (consumer protocol); others (Connect) without partitions. */
export function decodeMembers(group: GroupDescription): MemberAssignmentView[] {
  return group.members.map((member) => ({
    memberId: member.memberId,
    clientId: member.clientId,
    clientHost: member.clientHost,
    assignment: (member.assignment ?? []).map((a) => ({ topic: a.topic, partitions: [...a.partitions].sort((x, y) => x - y) })),
  }));
}

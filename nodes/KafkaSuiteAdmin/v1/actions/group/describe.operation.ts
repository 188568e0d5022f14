import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { decodeMembers, describeGroupOrThrow, joinLag, totalLag } from '../../../../shared';
import { requiredLocator, withAdmin } from '../../helpers/utils';
import { groupField } from './fields';

const properties: INodeProperties[] = [groupField];

export const description = updateDisplayOptions({ show: { resource: ['group'], operation: ['describe'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const groupId = requiredLocator(this, 'groupId', itemIndex, 'Group ID');
  return await withAdmin(this, async (admin) => {
    const group = await describeGroupOrThrow(admin, groupId);
    const members = decodeMembers(group);
    const existing = new Set(await admin.listTopics());
    const committed = await admin.fetchOffsets(groupId);
    const topics = new Set<string>(committed.filter((t) => t.partitions.some((p) => Number(p.offset) >= 0)).map((t) => t.topic));
    for (const m of members) for (const a of m.assignment) topics.add(a.topic);
    // A group keeps offsets for topics deleted since; those have no log end to compare with.
    const live = [...topics].filter((t) => existing.has(t)).sort();
    const offsets = live.length ? await admin.fetchOffsets(groupId, live) : [];
    const ends = await Promise.all(live.map(async (topic) => ({ topic, partitions: await admin.fetchTopicOffsets(topic) })));
    const rows = joinLag(offsets, ends);
    const assignedTo = new Map<string, string>();
    for (const m of members) for (const a of m.assignment) for (const p of a.partitions) assignedTo.set(`${a.topic}/${p}`, m.memberId);
    return {
      groupId,
      state: group.state,
      protocolType: group.protocolType,
      protocol: group.protocol,
      members: members as unknown as IDataObject[],
      offsets: rows.map((r) => ({ ...r, memberId: assignedTo.get(`${r.topic}/${r.partition}`) ?? null })),
      totalLag: totalLag(rows),
      deletedTopicsWithOffsets: [...topics].filter((t) => !existing.has(t)).sort(),
    };
  });
}

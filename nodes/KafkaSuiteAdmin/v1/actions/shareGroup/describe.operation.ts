import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { describeShareGroupOrThrow } from '../../../../shared';
import { shareGroupField } from './fields';
import { shareGroupIdOf, withShareAdmin } from './shared';

const properties: INodeProperties[] = [shareGroupField];

export const description = updateDisplayOptions({ show: { resource: ['shareGroup'], operation: ['describe'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const groupId = shareGroupIdOf(this, itemIndex);
  return await withShareAdmin(this, async (share, admin) => {
    const group = await describeShareGroupOrThrow(share, groupId);
    const rows = await share.fetchShareGroupOffsets(groupId);
    const existing = new Set(await admin.listTopics());
    const live = [...new Set(rows.map((r) => r.topic))].filter((t) => existing.has(t)).sort();
    const marks = new Map<string, { low: string; high: string }>();
    for (const topic of live) for (const m of await admin.fetchTopicOffsets(topic)) marks.set(`${topic}/${m.partition}`, { low: m.low, high: m.high });
    const assignedTo = new Map<string, string[]>();
    for (const m of group.members) {
      for (const a of m.assignment) for (const p of a.partitions) assignedTo.set(`${a.topic}/${p}`, [...(assignedTo.get(`${a.topic}/${p}`) ?? []), m.memberId]);
    }
    // Several members may share a partition: that is what a share group is for.
    const offsets = rows.map((r) => {
      const m = marks.get(`${r.topic}/${r.partition}`);
      return {
        topic: r.topic,
        partition: r.partition,
        startOffset: r.startOffset,
        logStartOffset: m?.low ?? null,
        logEndOffset: m?.high ?? null,
        lag: r.lag === null ? null : Number(r.lag),
        memberIds: assignedTo.get(`${r.topic}/${r.partition}`) ?? [],
      };
    });
    return {
      groupId,
      groupType: 'share',
      state: group.state,
      groupEpoch: group.groupEpoch,
      assignmentEpoch: group.assignmentEpoch,
      assignor: group.assignor,
      members: group.members as unknown as IDataObject[],
      offsets,
      totalLag: offsets.reduce((sum, o) => sum + (o.lag ?? 0), 0),
      deletedTopicsWithState: [...new Set(rows.map((r) => r.topic))].filter((t) => !existing.has(t)).sort(),
    };
  });
}

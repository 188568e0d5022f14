import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import { assertTopicsExist } from '../../../../shared';
import { assertConfirmed, confirmationField, requiredLocator, requiredString, splitList, withAdmin } from '../../helpers/utils';
import { topicField } from './fields';

const properties: INodeProperties[] = [
  topicField,
  {
    displayName: 'Partitions',
    name: 'partitionNumbers',
    type: 'string',
    default: '',
    placeholder: '0, 1, 2',
    description: 'Comma-separated partition numbers; empty means every partition',
  },
  {
    displayName: 'Before Offset',
    name: 'beforeOffset',
    type: 'string',
    default: '',
    required: true,
    placeholder: '1000',
    description: 'Records with a lower offset are deleted (the log start moves here). -1 deletes everything up to the current log end.',
  },
  confirmationField('Topic', {}),
];

export const description = updateDisplayOptions({ show: { resource: ['topic'], operation: ['deleteRecords'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const topic = requiredLocator(this, 'topic', itemIndex, 'Topic');
  const rawOffset = requiredString(this, 'beforeOffset', itemIndex, 'Before offset');
  if (!/^(-1|\d+)$/.test(rawOffset)) throw new NodeOperationError(this.getNode(), `Before offset "${rawOffset}" must be a non-negative offset or -1`, { itemIndex });
  const wanted = splitList(this.getNodeParameter('partitionNumbers', itemIndex, '')).map((p) => {
    if (!/^\d+$/.test(p)) throw new NodeOperationError(this.getNode(), `Partition "${p}" is not a partition number`, { itemIndex });
    return Number(p);
  });
  assertConfirmed(this, itemIndex, topic, 'topic');
  return await withAdmin(this, async (admin) => {
    await assertTopicsExist(admin, [topic]);
    const marks = await admin.fetchTopicOffsets(topic);
    const byPartition = new Map(marks.map((m) => [m.partition, m]));
    const unknown = wanted.filter((p) => !byPartition.has(p));
    if (unknown.length) throw new NodeOperationError(this.getNode(), `Topic "${topic}" has no partition ${unknown.join(', ')}`, { itemIndex });
    const targets = (wanted.length ? wanted : [...byPartition.keys()]).sort((a, b) => a - b);
    const plan = targets.map((partition) => {
      const mark = byPartition.get(partition)!;
      const offset = rawOffset === '-1' ? mark.high : rawOffset;
      if (BigInt(offset) > BigInt(mark.high)) {
        throw new NodeOperationError(this.getNode(), `Offset ${offset} is beyond the end of ${topic}/${partition} (log end ${mark.high}); nothing was deleted`, { itemIndex });
      }
      return { partition, offset, logStartBefore: mark.low };
    });
    await admin.deleteTopicRecords(topic, plan.map(({ partition, offset }) => ({ partition, offset })));
    const after = new Map((await admin.fetchTopicOffsets(topic)).map((m) => [m.partition, m]));
    return {
      topic,
      partitions: plan.map((p) => ({ partition: p.partition, logStartBefore: p.logStartBefore, logStartAfter: after.get(p.partition)?.low ?? null, logEnd: after.get(p.partition)?.high ?? null })),
    };
  });
}

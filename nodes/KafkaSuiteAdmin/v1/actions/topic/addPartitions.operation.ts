import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import { assertTopicsExist } from '../../../../shared';
import { integerParameter, requiredLocator, withAdmin } from '../../helpers/utils';
import { topicField } from './fields';

const properties: INodeProperties[] = [
  topicField,
  {
    displayName: 'Total Partitions',
    name: 'totalPartitions',
    type: 'number',
    typeOptions: { minValue: 1 },
    default: 2,
    description: 'The new partition count (not the number to add). Kafka cannot remove partitions, and keyed messages may map to other partitions afterwards.',
  },
];

export const description = updateDisplayOptions({ show: { resource: ['topic'], operation: ['addPartitions'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const topic = requiredLocator(this, 'topic', itemIndex, 'Topic');
  const count = integerParameter(this, 'totalPartitions', itemIndex, 'Total partitions', 1);
  return await withAdmin(this, async (admin) => {
    await assertTopicsExist(admin, [topic]);
    const topics = await admin.fetchTopicMetadata([topic]);
    const before = topics[0]?.partitions.length ?? 0;
    if (count <= before) {
      throw new NodeOperationError(this.getNode(), `Topic "${topic}" already has ${before} partitions; the new total must be more than that`, { itemIndex });
    }
    await admin.createPartitions(topic, count);
    return { topic, partitionsBefore: before, partitionsAfter: count };
  });
}

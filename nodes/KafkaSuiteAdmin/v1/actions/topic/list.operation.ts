import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { nameMatcher } from '../../../../shared';
import { withAdmin } from '../../helpers/utils';
import { nameFilterField, optionsCollection } from '../../../../shared/descriptions/options';

const properties: INodeProperties[] = [
  nameFilterField('Name Filter', 'nameFilter', 'Only topics whose name matches: text to contain, a glob with * and ?, or a regular expression as /…/. Empty lists all.'),
  optionsCollection([
    {
      displayName: 'Include Internal Topics',
      name: 'includeInternal',
      type: 'boolean',
      default: false,
      description: 'Whether to include topics whose name starts with "__" (consumer offsets, transaction state)',
    },
    {
      displayName: 'Include Partition Counts',
      name: 'includeDetails',
      type: 'boolean',
      default: true,
      description: 'Whether to fetch partition count and replication factor (one metadata request for all matched topics)',
    },
  ]),
];

export const description = updateDisplayOptions({ show: { resource: ['topic'], operation: ['list'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
  const matches = nameMatcher(this.getNodeParameter('nameFilter', itemIndex, '') as string);
  const options = this.getNodeParameter('options', itemIndex, {}) as { includeInternal?: boolean; includeDetails?: boolean };
  return await withAdmin(this, async (admin) => {
    const names = (await admin.listTopics())
      .filter((name) => options.includeInternal || !name.startsWith('__'))
      .filter(matches)
      .sort();
    if (options.includeDetails === false || names.length === 0) return names.map((name) => ({ name }));
    const topics = await admin.fetchTopicMetadata(names);
    const byName = new Map(topics.map((t) => [t.name, t]));
    return names.map((name) => {
      const partitions = byName.get(name)?.partitions ?? [];
      return { name, partitions: partitions.length, replicationFactor: partitions[0]?.replicas.length ?? 0 };
    });
  });
}

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import { updateTopicConfigs } from '../../../../shared';
import { configPairs, requiredLocator, splitList, withAdmin } from '../../helpers/utils';
import { configCollection, topicField } from './fields';

const properties: INodeProperties[] = [
  topicField,
  configCollection('Set Configs', 'configs', 'Overrides to add or change; all other overrides on the topic are kept'),
  {
    displayName: 'Remove Configs',
    name: 'removeConfigs',
    type: 'string',
    default: '',
    placeholder: 'retention.ms, segment.bytes',
    description: 'Comma-separated config names whose override to remove (they fall back to the broker default)',
  },
];

export const description = updateDisplayOptions({ show: { resource: ['topic'], operation: ['updateConfigs'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const topic = requiredLocator(this, 'topic', itemIndex, 'Topic');
  const set = configPairs(this, 'configs', itemIndex);
  const remove = splitList(this.getNodeParameter('removeConfigs', itemIndex, ''));
  if (Object.keys(set).length === 0 && remove.length === 0) {
    throw new NodeOperationError(this.getNode(), 'Nothing to change: add a config to set or a name to remove', { itemIndex });
  }
  const both = remove.filter((name) => name in set);
  if (both.length) throw new NodeOperationError(this.getNode(), `Config ${both.join(', ')} is both set and removed`, { itemIndex });
  return await withAdmin(this, async (admin) => {
    const { before, after } = await updateTopicConfigs(admin, topic, set, remove);
    const changed = [...new Set([...Object.keys(before), ...Object.keys(after)])]
      .filter((name) => before[name] !== after[name])
      .sort()
      .map((name) => ({ name, before: before[name] ?? null, after: after[name] ?? null }));
    return { topic, changed, overrides: after };
  });
}

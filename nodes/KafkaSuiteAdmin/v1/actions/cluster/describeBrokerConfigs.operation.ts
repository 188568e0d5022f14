import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import { describeResourceConfigs } from '../../../../shared';
import { splitList, withAdmin } from '../../helpers/utils';

const properties: INodeProperties[] = [
  {
    displayName: 'Broker IDs',
    name: 'brokerIds',
    type: 'string',
    default: '',
    placeholder: '1, 2',
    description: 'Comma-separated broker node IDs; empty means every broker',
  },
  {
    displayName: 'Only Non-Default Configs',
    name: 'onlyNonDefault',
    type: 'boolean',
    default: false,
    description: 'Whether to list only configs set in server.properties or dynamically, not built-in defaults',
  },
];

export const description = updateDisplayOptions({ show: { resource: ['cluster'], operation: ['describeBrokerConfigs'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
  const wanted = splitList(this.getNodeParameter('brokerIds', itemIndex, ''));
  const onlyNonDefault = this.getNodeParameter('onlyNonDefault', itemIndex, false) as boolean;
  return await withAdmin(this, async (admin) => {
    const { brokers } = await admin.describeCluster();
    const known = new Set(brokers.map((b) => String(b.nodeId)));
    const unknown = wanted.filter((id) => !known.has(id));
    if (unknown.length) {
      throw new NodeOperationError(this.getNode(), `No broker with ID ${unknown.join(', ')} (brokers: ${[...known].join(', ')})`, { itemIndex });
    }
    const ids = wanted.length ? wanted : [...known].sort((a, b) => Number(a) - Number(b));
    const out: IDataObject[] = [];
    for (const id of ids) {
      const configs = await describeResourceConfigs(admin, 'broker', id);
      out.push({ brokerId: Number(id), configs: (onlyNonDefault ? configs.filter((c) => !c.isDefault) : configs) as unknown as IDataObject[] });
    }
    return out;
  });
}

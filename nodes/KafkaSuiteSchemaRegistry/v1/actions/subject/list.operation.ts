import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { registryClient } from '../../helpers/registry';

const properties: INodeProperties[] = [
  {
    displayName: 'Include Deleted',
    name: 'includeDeleted',
    type: 'boolean',
    default: false,
    description: 'Whether to include soft-deleted subjects (marked with deleted: true)',
  },
  {
    displayName: 'Name Prefix',
    name: 'prefix',
    type: 'string',
    default: '',
    description: 'Only subjects starting with this text',
  },
];

export const description = updateDisplayOptions({ show: { resource: ['subject'], operation: ['list'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
  const includeDeleted = this.getNodeParameter('includeDeleted', itemIndex, false) as boolean;
  const prefix = this.getNodeParameter('prefix', itemIndex, '') as string;
  const client = await registryClient(this);
  const active = await client.listSubjects(false);
  const all = includeDeleted ? await client.listSubjects(true) : active;
  const activeSet = new Set(active);
  return [...new Set(all)]
    .filter((subject) => subject.startsWith(prefix))
    .sort()
    .map((subject) => ({ subject, deleted: !activeSet.has(subject) }));
}

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { nameMatcher } from '../../../../shared';
import { connectClient } from './helpers';

const properties: INodeProperties[] = [
  {
    displayName: 'Name Filter',
    name: 'nameFilter',
    type: 'string',
    default: '',
    description: 'Only connectors whose name matches: text to contain, a glob with * and ?, or a regular expression as /…/',
  },
];

export const description = updateDisplayOptions({ show: { resource: ['connector'], operation: ['list'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
  const matches = nameMatcher(this.getNodeParameter('nameFilter', itemIndex, '') as string);
  const client = await connectClient(this);
  return (await client.list())
    .filter((c) => matches(c.name))
    .map((c) => ({
      name: c.name,
      type: c.info?.type ?? c.status?.type ?? null,
      state: c.status?.connector?.state ?? null,
      workerId: c.status?.connector?.worker_id ?? null,
      tasks: (c.status?.tasks ?? []) as unknown as IDataObject[],
      failedTasks: (c.status?.tasks ?? []).filter((t) => t.state === 'FAILED').length,
      config: c.info?.config ?? {},
    }));
}

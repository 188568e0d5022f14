import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { connectorField } from './fields';
import { connectClient, existingConnector } from './helpers';

const properties: INodeProperties[] = [
  connectorField,
  {
    displayName: 'Include Tasks',
    name: 'includeTasks',
    type: 'boolean',
    default: true,
    description: 'Whether to restart the connector’s tasks too, not only the connector instance',
  },
  {
    displayName: 'Only Failed',
    name: 'onlyFailed',
    type: 'boolean',
    default: false,
    description: 'Whether to restart only instances that are in the FAILED state',
  },
];

export const description = updateDisplayOptions({ show: { resource: ['connector'], operation: ['restart'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const client = await connectClient(this);
  const name = await existingConnector(this, client, itemIndex);
  const includeTasks = this.getNodeParameter('includeTasks', itemIndex, true) as boolean;
  const onlyFailed = this.getNodeParameter('onlyFailed', itemIndex, false) as boolean;
  const answer = await client.restart(name, { includeTasks, onlyFailed });
  return { name, requested: 'restart', includeTasks, onlyFailed, status: (answer ?? (await client.status(name))) as unknown as IDataObject };
}

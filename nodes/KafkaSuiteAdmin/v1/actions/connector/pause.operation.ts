import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { connectorField } from './fields';
import { connectClient, existingConnector } from './helpers';

const properties: INodeProperties[] = [connectorField];

export const description = updateDisplayOptions({ show: { resource: ['connector'], operation: ['pause'] } }, properties);

/** The worker acts asynchronously (HTTP 202); the returned status may still show the old state. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const client = await connectClient(this);
  const name = await existingConnector(this, client, itemIndex);
  await client.pause(name);
  return { name, requested: 'pause', status: (await client.status(name)) as unknown as IDataObject };
}

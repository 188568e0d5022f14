import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { assertConfirmed, confirmationField, requiredLocator } from '../../helpers/utils';
import { connectorField } from './fields';
import { connectClient, existingConnector } from './helpers';

const properties: INodeProperties[] = [connectorField, confirmationField('Connector', {})];

export const description = updateDisplayOptions({ show: { resource: ['connector'], operation: ['delete'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  assertConfirmed(this, itemIndex, requiredLocator(this, 'connector', itemIndex, 'Connector name'), 'connector');
  const client = await connectClient(this);
  const name = await existingConnector(this, client, itemIndex);
  const config = (await client.info(name)).config;
  await client.delete(name);
  // The config comes back so a mistaken delete can be undone with Create or Update.
  return { name, deleted: true, config };
}

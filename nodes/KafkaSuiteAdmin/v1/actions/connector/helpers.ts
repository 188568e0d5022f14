import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { ConnectClient, getConnectCredential } from '../../../../shared';
import { requiredLocator } from '../../helpers/utils';

export async function connectClient(context: IExecuteFunctions): Promise<ConnectClient> {
  return new ConnectClient(await getConnectCredential(context));
}

/** The worker answers 404 for unknown connectors too, but checking first keeps the message plain. */
export async function existingConnector(context: IExecuteFunctions, client: ConnectClient, itemIndex: number): Promise<string> {
  const name = requiredLocator(context, 'connector', itemIndex, 'Connector name');
  if (!(await client.exists(name))) throw new NodeOperationError(context.getNode(), `Connector "${name}" does not exist on ${client.baseUrl}`, { itemIndex });
  return name;
}

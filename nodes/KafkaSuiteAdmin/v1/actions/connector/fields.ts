import type { INodeProperties } from 'n8n-workflow';

export const connectorField: INodeProperties = {
  displayName: 'Connector Name',
  name: 'connector',
  type: 'string',
  default: '',
  required: true,
  placeholder: 'orders-file-sink',
};

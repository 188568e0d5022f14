import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

// The selectors of the resource/operation nodes (Admin, Lag Check, Schema Registry), n8n's layout:
// the version description lists the resources, each <Resource>.resource.ts its operations.

/** The Resource selector. */
export const resourceField = (defaultValue: string, options: INodePropertyOptions[]): INodeProperties => ({
  displayName: 'Resource',
  name: 'resource',
  type: 'options',
  noDataExpression: true,
  options,
  default: defaultValue,
});

/** The Operation selector shown for one resource. */
export const operationField = (resource: string, defaultValue: string, options: INodePropertyOptions[]): INodeProperties => ({
  displayName: 'Operation',
  name: 'operation',
  type: 'options',
  noDataExpression: true,
  displayOptions: { show: { resource: [resource] } },
  options,
  default: defaultValue,
});

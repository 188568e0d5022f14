import type { INodeProperties } from 'n8n-workflow';
import * as get from './get.operation';
import * as set from './set.operation';

export { get, set };

export const description: INodeProperties[] = [
  {
    displayName: 'Operation',
    name: 'operation',
    type: 'options',
    noDataExpression: true,
    displayOptions: { show: { resource: ['mode'] } },
    options: [
      { name: 'Get', value: 'get', description: 'Get the registry mode, global or of a subject', action: 'Get the mode' },
      { name: 'Set', value: 'set', description: 'Set the registry mode, global or of a subject', action: 'Set the mode' },
    ],
    default: 'get',
  },
  ...get.description,
  ...set.description,
];

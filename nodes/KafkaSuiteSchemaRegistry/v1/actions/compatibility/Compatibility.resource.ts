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
    displayOptions: { show: { resource: ['compatibility'] } },
    options: [
      { name: 'Get', value: 'get', description: 'Get the compatibility level, global or of a subject', action: 'Get the compatibility level' },
      { name: 'Set', value: 'set', description: 'Set the compatibility level, global or of a subject', action: 'Set the compatibility level' },
    ],
    default: 'get',
  },
  ...get.description,
  ...set.description,
];

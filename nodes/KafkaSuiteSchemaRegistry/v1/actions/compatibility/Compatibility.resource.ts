import type { INodeProperties } from 'n8n-workflow';
import { operationField } from '../../../../shared/descriptions/resource';
import * as get from './get.operation';
import * as set from './set.operation';

export { get, set };

export const description: INodeProperties[] = [
  operationField('compatibility', 'get', [
    { name: 'Get', value: 'get', description: 'Get the compatibility level, global or of a subject', action: 'Get the compatibility level' },
    { name: 'Set', value: 'set', description: 'Set the compatibility level, global or of a subject', action: 'Set the compatibility level' },
  ]),
  ...get.description,
  ...set.description,
];

import type { INodeProperties } from 'n8n-workflow';
import { operationField } from '../../../../shared/descriptions/resource';
import * as get from './get.operation';
import * as set from './set.operation';

export { get, set };

export const description: INodeProperties[] = [
  operationField('mode', 'get', [
    { name: 'Get', value: 'get', description: 'Get the registry mode, global or of a subject', action: 'Get the mode' },
    { name: 'Set', value: 'set', description: 'Set the registry mode, global or of a subject', action: 'Set the mode' },
  ]),
  ...get.description,
  ...set.description,
];

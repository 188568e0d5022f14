import type { INodeProperties } from 'n8n-workflow';
import { operationField } from '../../../../shared/descriptions/resource';
import * as del from './delete.operation';
import * as describe from './describe.operation';
import * as list from './list.operation';
import * as resetOffsets from './resetOffsets.operation';
import * as setOffsets from './setOffsets.operation';

export { del as delete, describe, list, resetOffsets, setOffsets };

export const description: INodeProperties[] = [
  operationField('group', 'list', [
    { name: 'Delete', value: 'delete', description: 'Delete an inactive consumer group and its offsets', action: 'Delete a consumer group' },
    { name: 'Describe', value: 'describe', description: 'Members, assignments, committed offsets and lag', action: 'Describe a consumer group' },
    { name: 'List', value: 'list', description: 'List consumer groups with their state', action: 'List consumer groups' },
    { name: 'Reset Offsets', value: 'resetOffsets', description: 'Move committed offsets (dry run by default)', action: 'Reset consumer group offsets' },
    { name: 'Set Offsets', value: 'setOffsets', description: 'Apply exact offsets, e.g. an undo snapshot (dry run by default)', action: 'Set consumer group offsets' },
  ]),
  ...list.description,
  ...describe.description,
  ...del.description,
  ...resetOffsets.description,
  ...setOffsets.description,
];

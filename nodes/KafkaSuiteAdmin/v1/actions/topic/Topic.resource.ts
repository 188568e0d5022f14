import type { INodeProperties } from 'n8n-workflow';
import { operationField } from '../../../../shared/descriptions/resource';
import * as addPartitions from './addPartitions.operation';
import * as create from './create.operation';
import * as del from './delete.operation';
import * as describe from './describe.operation';
import * as deleteRecords from './deleteRecords.operation';
import * as list from './list.operation';
import * as updateConfigs from './updateConfigs.operation';

export { addPartitions, create, del as delete, deleteRecords, describe, list, updateConfigs };

export const description: INodeProperties[] = [
  operationField('topic', 'list', [
    { name: 'Add Partitions', value: 'addPartitions', description: 'Raise the partition count of a topic', action: 'Add partitions to a topic' },
    { name: 'Create', value: 'create', description: 'Create a topic', action: 'Create a topic' },
    { name: 'Delete', value: 'delete', description: 'Delete a topic and all its data', action: 'Delete a topic' },
    { name: 'Delete Records', value: 'deleteRecords', description: 'Delete records before an offset', action: 'Delete records from a topic' },
    { name: 'Describe', value: 'describe', description: 'Partitions, leaders, replicas, ISR and configs', action: 'Describe a topic' },
    { name: 'List', value: 'list', description: 'List topics', action: 'List topics' },
    { name: 'Update Configs', value: 'updateConfigs', description: 'Set or remove topic config overrides', action: 'Update topic configs' },
  ]),
  ...list.description,
  ...describe.description,
  ...create.description,
  ...del.description,
  ...updateConfigs.description,
  ...addPartitions.description,
  ...deleteRecords.description,
];

import type { INodeProperties } from 'n8n-workflow';
import { operationField } from '../../../../shared/descriptions/resource';
import * as create from './create.operation';
import * as del from './delete.operation';
import * as describe from './describe.operation';

export { create, del as delete, describe };

export const description: INodeProperties[] = [
  operationField('acl', 'describe', [
    { name: 'Create', value: 'create', description: 'Create an ACL', action: 'Create an ACL' },
    { name: 'Delete', value: 'delete', description: 'Delete the ACLs matching a filter', action: 'Delete ACL entries' },
    { name: 'Describe', value: 'describe', description: 'List the ACLs matching a filter', action: 'Describe ACL entries' },
  ]),
  ...create.description,
  ...describe.description,
  ...del.description,
];

import type { INodeProperties } from 'n8n-workflow';
import { operationField } from '../../../../shared/descriptions/resource';
import * as hardDelete from './hardDelete.operation';
import * as list from './list.operation';
import * as listVersions from './listVersions.operation';
import * as softDelete from './softDelete.operation';

export { hardDelete, list, listVersions, softDelete };

export const description: INodeProperties[] = [
  operationField('subject', 'list', [
    {
      name: 'Hard Delete',
      value: 'hardDelete',
      description: 'Permanently remove a soft-deleted subject or version (asks for confirmation)',
      action: 'Hard delete a subject',
    },
    { name: 'List', value: 'list', description: 'List subjects, optionally with soft-deleted ones', action: 'List subjects' },
    { name: 'List Versions', value: 'listVersions', description: 'List the versions registered under a subject', action: 'List versions of a subject' },
    { name: 'Soft Delete', value: 'softDelete', description: 'Soft delete a subject or one version (recoverable by re-registering)', action: 'Soft delete a subject' },
  ]),
  ...list.description,
  ...listVersions.description,
  ...softDelete.description,
  ...hardDelete.description,
];

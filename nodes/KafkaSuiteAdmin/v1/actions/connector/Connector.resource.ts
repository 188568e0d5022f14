import type { INodeProperties } from 'n8n-workflow';
import { operationField } from '../../../../shared/descriptions/resource';
import * as createFromTemplate from './createFromTemplate.operation';
import * as createOrUpdate from './createOrUpdate.operation';
import * as del from './delete.operation';
import * as list from './list.operation';
import * as listTemplates from './listTemplates.operation';
import * as pause from './pause.operation';
import * as restart from './restart.operation';
import * as resume from './resume.operation';

export { createFromTemplate, createOrUpdate, del as delete, list, listTemplates, pause, restart, resume };

export const description: INodeProperties[] = [
  operationField('connector', 'list', [
    {
      name: 'Create From Template',
      value: 'createFromTemplate',
      description: 'Create a connector from a ready config (Debezium PostgreSQL, JDBC sink, S3 sink, MirrorMaker 2, FileStream), validated by the worker first',
      action: 'Create a connector from a template',
    },
    { name: 'Create or Update', value: 'createOrUpdate', description: 'Create a connector or replace its config', action: 'Create or update a connector' },
    { name: 'Delete', value: 'delete', description: 'Delete a connector', action: 'Delete a connector' },
    { name: 'List', value: 'list', description: 'List connectors with their status', action: 'List connectors' },
    { name: 'List Templates', value: 'listTemplates', description: 'List the ready connector configs and whether the worker can run them', action: 'List connector templates' },
    { name: 'Pause', value: 'pause', description: 'Pause a connector and its tasks', action: 'Pause a connector' },
    { name: 'Restart', value: 'restart', description: 'Restart a connector and its tasks', action: 'Restart a connector' },
    { name: 'Resume', value: 'resume', description: 'Resume a paused connector', action: 'Resume a connector' },
  ]),
  ...list.description,
  ...createOrUpdate.description,
  ...createFromTemplate.description,
  ...listTemplates.description,
  ...pause.description,
  ...resume.description,
  ...restart.description,
  ...del.description,
];

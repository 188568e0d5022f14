import type { INodeProperties } from 'n8n-workflow';

export const groupField: INodeProperties = {
  displayName: 'Group ID',
  name: 'groupId',
  type: 'string',
  default: '',
  required: true,
  placeholder: 'orders-service',
};

export const dryRunField: INodeProperties = {
  displayName: 'Dry Run',
  name: 'dryRun',
  type: 'boolean',
  default: true,
  description: 'Whether to only show the before/after offsets without changing anything. Turn off to apply.',
};

import type { INodeProperties } from 'n8n-workflow';
import { locatorField } from '../../../../shared';

export const groupField: INodeProperties = locatorField({ displayName: 'Group ID', name: 'groupId', method: 'searchGroups', placeholder: 'orders-service' });

export const dryRunField: INodeProperties = {
  displayName: 'Dry Run',
  name: 'dryRun',
  type: 'boolean',
  default: true,
  description: 'Whether to only show the before/after offsets without changing anything. Turn off to apply.',
};

import type { INodeProperties } from 'n8n-workflow';
import { locatorField } from '../listSearch';

// The fields Lag Check and Lag Trigger share: both judge groups on the same sample window with the
// same Burrow rules (nodes/shared/lag), so they ask for them the same way. Texts that differ say
// how each node keeps its samples (runs vs. polls).

/** Which consumer groups: picked, named, or a pattern (parseGroupSelection reads it). */
export const lagGroupsField: INodeProperties = {
  ...locatorField({
    displayName: 'Groups',
    name: 'groups',
    method: 'searchGroups',
    placeholder: 'orders-service, billing or /^orders-.*$/',
    nameMode: { displayName: 'By Names or Pattern', hint: 'Group names separated by commas, or a regular expression between slashes' },
  }),
  description: 'A consumer group picked from the cluster, or names separated by commas, or a regular expression between slashes matched against all groups',
};

export const lagWindowSizeField = (description: string): INodeProperties => ({
  displayName: 'Window Size',
  name: 'windowSize',
  type: 'number',
  typeOptions: { minValue: 2 },
  default: 10,
  description,
});

export const lagAllowedLagField: INodeProperties = {
  displayName: 'Allowed Lag',
  name: 'allowedLag',
  type: 'number',
  typeOptions: { minValue: 0 },
  default: 0,
  description: 'Offset lag per partition still counted as OK',
};

/** Options-collection entries. Lag Check includes partitions by default (spreads this with default: true). */
export const lagIncludePartitionsOption = (description: string): INodeProperties => ({
  displayName: 'Include Partitions',
  name: 'includePartitions',
  type: 'boolean',
  default: false,
  description,
});

export const lagTimelinePointsOption = (description: string): INodeProperties => ({
  displayName: 'Timeline Points',
  name: 'maxTimelinePoints',
  type: 'number',
  typeOptions: { minValue: 2 },
  default: 60,
  description,
});

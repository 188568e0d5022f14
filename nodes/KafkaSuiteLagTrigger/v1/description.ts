import type { INodeTypeBaseDescription, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { locatorField } from '../../shared';

/** Version 1 on top of the base description (name, icon, group) in the node's .node.ts. */
export const versionDescription = (base: INodeTypeBaseDescription): INodeTypeDescription => ({
  ...base,
  version: 1,
  subtitle: '={{$parameter["groups"]}}',
  defaults: { name: 'Kafka Lag Trigger' },
  polling: true,
  inputs: [],
  outputs: [NodeConnectionTypes.Main],
  credentials: [{ name: 'kafkaSuiteClusterApi', required: true, testedBy: 'kafkaSuiteClusterConnectionTest' }],
  properties: [
    {
      displayName:
        'Each poll takes one sample per partition; the status is judged once a group has Window Size samples. With the poll interval set to one minute and a window of 10, a stopped consumer is reported after about 10 minutes.',
      name: 'notice',
      type: 'notice',
      default: '',
    },
    {
      ...locatorField({
        displayName: 'Groups',
        name: 'groups',
        method: 'searchGroups',
        placeholder: 'orders-service, billing or /^orders-.*$/',
        nameMode: { displayName: 'By Names or Pattern', hint: 'Group names separated by commas, or a regular expression between slashes' },
      }),
      description: 'A consumer group picked from the cluster, or names separated by commas, or a regular expression between slashes matched against all groups',
    },
    {
      displayName: 'Window Size',
      name: 'windowSize',
      type: 'number',
      typeOptions: { minValue: 2 },
      default: 10,
      description: "Samples per partition the status is judged on (Burrow's default is 10)",
    },
    {
      displayName: 'Allowed Lag',
      name: 'allowedLag',
      type: 'number',
      typeOptions: { minValue: 0 },
      default: 0,
      description: 'Offset lag per partition still counted as OK',
    },
    {
      displayName: 'Debounce (Polls)',
      name: 'debouncePolls',
      type: 'number',
      typeOptions: { minValue: 1 },
      default: 2,
      description: 'How many consecutive polls a change (leaving OK, or returning to it) must be seen on before an item is emitted; 1 emits at once',
    },
    {
      displayName: 'Options',
      name: 'options',
      type: 'collection',
      placeholder: 'Add Option',
      default: {},
      options: [
        {
          displayName: 'Include Partitions',
          name: 'includePartitions',
          type: 'boolean',
          default: false,
          description: 'Whether emitted items list every partition with its lag and status',
        },
        {
          displayName: 'Timeline Points',
          name: 'maxTimelinePoints',
          type: 'number',
          typeOptions: { minValue: 2 },
          default: 60,
          description: 'Log-end samples kept per partition to interpolate the lag in seconds',
        },
      ],
    },
  ],
});

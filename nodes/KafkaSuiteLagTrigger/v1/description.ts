import type { INodeTypeBaseDescription, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { lagAllowedLagField, lagGroupsField, lagIncludePartitionsOption, lagTimelinePointsOption, lagWindowSizeField } from '../../shared/descriptions/lag';
import { optionsCollection } from '../../shared/descriptions/options';

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
    lagGroupsField,
    lagWindowSizeField("Samples per partition the status is judged on (Burrow's default is 10)"),
    lagAllowedLagField,
    {
      displayName: 'Debounce (Polls)',
      name: 'debouncePolls',
      type: 'number',
      typeOptions: { minValue: 1 },
      default: 2,
      description: 'How many consecutive polls a change (leaving OK, or returning to it) must be seen on before an item is emitted; 1 emits at once',
    },
    optionsCollection([
      lagIncludePartitionsOption('Whether emitted items list every partition with its lag and status'),
      lagTimelinePointsOption('Log-end samples kept per partition to interpolate the lag in seconds'),
    ]),
  ],
});

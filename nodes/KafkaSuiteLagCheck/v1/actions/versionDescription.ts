import type { INodeTypeBaseDescription, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { resourceField } from '../../../shared/descriptions/resource';
import * as consumerGroup from './consumerGroup/ConsumerGroup.resource';

/** Version 1 on top of the base description (name, icon, group) in the node's .node.ts. */
export const versionDescription = (base: INodeTypeBaseDescription): INodeTypeDescription => ({
  ...base,
  version: 1,
  subtitle: '={{$parameter["groups"]}}',
  defaults: { name: 'Kafka Lag Check' },
  usableAsTool: true,
  inputs: [NodeConnectionTypes.Main],
  outputs: [NodeConnectionTypes.Main],
  credentials: [{ name: 'kafkaSuiteClusterApi', required: true, testedBy: 'kafkaSuiteClusterConnectionTest' }],
  properties: [
    resourceField('consumerGroup', [{ name: 'Consumer Group', value: 'consumerGroup' }]),
    ...consumerGroup.description,
  ],
});

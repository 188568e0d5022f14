import type { INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import * as consumerGroup from './consumerGroup/ConsumerGroup.resource';

export const versionDescription: INodeTypeDescription = {
  displayName: 'Kafka Lag Check',
  name: 'kafkaSuiteLagCheck',
  icon: { light: 'file:../../icons/kafka.svg', dark: 'file:../../icons/kafka.dark.svg' },
  group: ['transform'],
  version: 1,
  subtitle: '={{$parameter["groups"]}}',
  description: 'Consumer group lag in offsets and seconds, with Burrow-style health status',
  defaults: { name: 'Kafka Lag Check' },
  usableAsTool: true,
  inputs: [NodeConnectionTypes.Main],
  outputs: [NodeConnectionTypes.Main],
  credentials: [{ name: 'kafkaSuiteClusterApi', required: true, testedBy: 'kafkaSuiteClusterConnectionTest' }],
  properties: [
    {
      displayName: 'Resource',
      name: 'resource',
      type: 'options',
      noDataExpression: true,
      options: [{ name: 'Consumer Group', value: 'consumerGroup' }],
      default: 'consumerGroup',
    },
    ...consumerGroup.description,
  ],
};

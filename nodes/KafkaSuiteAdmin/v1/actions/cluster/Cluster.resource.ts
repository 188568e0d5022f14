import type { INodeProperties } from 'n8n-workflow';
import * as describe from './describe.operation';
import * as describeBrokerConfigs from './describeBrokerConfigs.operation';

export { describe, describeBrokerConfigs };

export const description: INodeProperties[] = [
  {
    displayName: 'Operation',
    name: 'operation',
    type: 'options',
    noDataExpression: true,
    displayOptions: { show: { resource: ['cluster'] } },
    options: [
      { name: 'Describe', value: 'describe', description: 'Cluster ID, brokers and the active controller', action: 'Describe the cluster' },
      { name: 'Describe Broker Configs', value: 'describeBrokerConfigs', description: 'Effective configs of one or all brokers', action: 'Describe broker configs' },
    ],
    default: 'describe',
  },
  ...describe.description,
  ...describeBrokerConfigs.description,
];

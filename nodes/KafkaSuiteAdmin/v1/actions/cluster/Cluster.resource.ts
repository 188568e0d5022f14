import type { INodeProperties } from 'n8n-workflow';
import { operationField } from '../../../../shared/descriptions/resource';
import * as describe from './describe.operation';
import * as describeBrokerConfigs from './describeBrokerConfigs.operation';

export { describe, describeBrokerConfigs };

export const description: INodeProperties[] = [
  operationField('cluster', 'describe', [
    { name: 'Describe', value: 'describe', description: 'Cluster ID, brokers and the active controller', action: 'Describe the cluster' },
    { name: 'Describe Broker Configs', value: 'describeBrokerConfigs', description: 'Effective configs of one or all brokers', action: 'Describe broker configs' },
  ]),
  ...describe.description,
  ...describeBrokerConfigs.description,
];

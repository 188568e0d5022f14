import type { INodeProperties } from 'n8n-workflow';
import { operationField } from '../../../../shared/descriptions/resource';
import * as checkLag from './checkLag.operation';

export { checkLag };

export const description: INodeProperties[] = [
  operationField('consumerGroup', 'checkLag', [
    {
      name: 'Check Lag',
      value: 'checkLag',
      description: 'Lag per partition, topic and group in offsets and seconds, catch-up estimate and Burrow status',
      action: 'Check consumer group lag',
    },
  ]),
  ...checkLag.description,
];

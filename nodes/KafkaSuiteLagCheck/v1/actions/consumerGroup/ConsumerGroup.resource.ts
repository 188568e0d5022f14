import type { INodeProperties } from 'n8n-workflow';
import * as checkLag from './checkLag.operation';

export { checkLag };

export const description: INodeProperties[] = [
  {
    displayName: 'Operation',
    name: 'operation',
    type: 'options',
    noDataExpression: true,
    displayOptions: { show: { resource: ['consumerGroup'] } },
    options: [
      {
        name: 'Check Lag',
        value: 'checkLag',
        description: 'Lag per partition, topic and group in offsets and seconds, catch-up estimate and Burrow status',
        action: 'Check consumer group lag',
      },
    ],
    default: 'checkLag',
  },
  ...checkLag.description,
];

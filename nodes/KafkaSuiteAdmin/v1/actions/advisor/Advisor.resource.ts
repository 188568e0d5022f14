import type { INodeProperties } from 'n8n-workflow';
import { operationField } from '../../../../shared/descriptions/resource';
import * as audit from './audit.operation';
import * as capacity from './capacity.operation';

export { audit, capacity };

export const description: INodeProperties[] = [
  operationField('advisor', 'audit', [
    {
      name: 'Audit Cluster',
      value: 'audit',
      description:
        'Check the live cluster against production guardrails: replication, min.insync.replicas, unclean leader election, offline and under-replicated partitions, skew, idle groups with growing lag, producers without idempotence',
      action: 'Audit the cluster',
    },
    {
      name: 'Plan Capacity',
      value: 'capacity',
      description: 'Recommend partitions, brokers and storage for a target throughput, message size, retention and consumer parallelism, with the arithmetic shown',
      action: 'Plan capacity for a topic',
    },
  ]),
  ...audit.description,
  ...capacity.description,
];

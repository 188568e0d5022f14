import type { INodeProperties } from 'n8n-workflow';
import { operationField } from '../../../../shared/descriptions/resource';
import * as describe from './describe.operation';
import * as list from './list.operation';
import * as resetStartOffsets from './resetStartOffsets.operation';
import * as setStartOffsets from './setStartOffsets.operation';

export { describe, list, resetStartOffsets, setStartOffsets };

// Share groups (KIP-932, "Queues for Kafka"): Kafka 4.x, and Node.js 22.22+ or 24.6+ for the suite's protocol client.
export const description: INodeProperties[] = [
  operationField('shareGroup', 'list', [
    { name: 'Describe', value: 'describe', description: 'Members, assignments, epochs, start offsets and share lag', action: 'Describe a share group' },
    { name: 'List', value: 'list', description: 'List share groups with their state (Kafka 4.x)', action: 'List share groups' },
    {
      name: 'Reset Start Offsets',
      value: 'resetStartOffsets',
      description: 'Move where the share group delivers from (dry run by default; the group must have no members)',
      action: 'Reset share group start offsets',
    },
    {
      name: 'Set Start Offsets',
      value: 'setStartOffsets',
      description: 'Apply exact start offsets, e.g. an undo snapshot (dry run by default)',
      action: 'Set share group start offsets',
    },
  ]),
  ...list.description,
  ...describe.description,
  ...resetStartOffsets.description,
  ...setStartOffsets.description,
];

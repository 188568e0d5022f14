import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import { readPartitionStates, topicsWithCommits, type ResetTarget } from '../../../../shared';
import { confirmationField, integerParameter, requiredLocator, requiredString, splitList, withAdmin } from '../../helpers/utils';
import { dryRunField, groupField } from './fields';
import { planAndMaybeApply } from './shared';

const show = { resource: ['group'], operation: ['resetOffsets'] };

const properties: INodeProperties[] = [
  groupField,
  {
    displayName: 'Topics',
    name: 'topics',
    type: 'string',
    default: '',
    placeholder: 'orders, payments',
    description: 'Comma-separated topics to reset; empty means every topic the group has committed offsets on',
  },
  {
    displayName: 'Partitions',
    name: 'partitionNumbers',
    type: 'string',
    default: '',
    placeholder: '0, 1',
    description: 'Comma-separated partition numbers (with a single topic); empty means all partitions',
  },
  {
    displayName: 'Reset To',
    name: 'target',
    type: 'options',
    default: 'earliest',
    options: [
      { name: 'Earliest', value: 'earliest', description: 'The log start: re-read everything still retained' },
      { name: 'Exact Offset', value: 'offset', description: 'The same offset on every selected partition (clamped to the log)' },
      { name: 'Latest', value: 'latest', description: 'The log end: skip everything not yet read' },
      { name: 'Shift By', value: 'shift', description: 'Move the committed offset by N (negative = back)' },
      { name: 'Timestamp', value: 'timestamp', description: 'The first record at or after a point in time' },
    ],
  },
  {
    displayName: 'Timestamp',
    name: 'timestamp',
    type: 'dateTime',
    default: '',
    required: true,
    description: 'Records from this time on are read again',
    displayOptions: { show: { target: ['timestamp'] } },
  },
  {
    displayName: 'Offset',
    name: 'offset',
    type: 'string',
    default: '',
    required: true,
    placeholder: '1000',
    displayOptions: { show: { target: ['offset'] } },
  },
  {
    displayName: 'Shift By',
    name: 'shiftBy',
    type: 'number',
    default: -1,
    description: 'How many offsets to move; negative re-reads, positive skips',
    displayOptions: { show: { target: ['shift'] } },
  },
  dryRunField,
  confirmationField('Group', { show: { dryRun: [false] } }),
];

export const description = updateDisplayOptions({ show }, properties);

export function parseTimestamp(context: IExecuteFunctions, itemIndex: number): number {
  const raw = context.getNodeParameter('timestamp', itemIndex);
  const value = typeof raw === 'number' ? raw : /^\d+$/.test(String(raw).trim()) ? Number(String(raw).trim()) : Date.parse(String(raw));
  if (!Number.isFinite(value) || value < 0) throw new NodeOperationError(context.getNode(), `Timestamp "${String(raw)}" is not a date`, { itemIndex });
  return value;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const groupId = requiredLocator(this, 'groupId', itemIndex, 'Group ID');
  const topicsParam = splitList(this.getNodeParameter('topics', itemIndex, ''));
  const partitions = splitList(this.getNodeParameter('partitionNumbers', itemIndex, '')).map((p) => {
    if (!/^\d+$/.test(p)) throw new NodeOperationError(this.getNode(), `Partition "${p}" is not a partition number`, { itemIndex });
    return Number(p);
  });
  if (partitions.length && topicsParam.length !== 1) {
    throw new NodeOperationError(this.getNode(), 'Partitions can only be chosen together with exactly one topic', { itemIndex });
  }
  const kind = this.getNodeParameter('target', itemIndex) as Exclude<ResetTarget['kind'], 'explicit'>;
  let target: ResetTarget;
  let timestamp: number | undefined;
  switch (kind) {
    case 'earliest':
    case 'latest':
      target = { kind };
      break;
    case 'timestamp':
      timestamp = parseTimestamp(this, itemIndex);
      target = { kind, timestamp };
      break;
    case 'offset': {
      const offset = requiredString(this, 'offset', itemIndex, 'Offset');
      if (!/^\d+$/.test(offset)) throw new NodeOperationError(this.getNode(), `Offset "${offset}" must be a non-negative whole number`, { itemIndex });
      target = { kind, offset };
      break;
    }
    case 'shift':
      target = { kind, by: integerParameter(this, 'shiftBy', itemIndex, 'Shift by') };
      break;
    default:
      throw new NodeOperationError(this.getNode(), `Unknown reset target "${String(kind)}"`, { itemIndex });
  }
  return await withAdmin(this, async (admin) =>
    planAndMaybeApply(this, admin, itemIndex, groupId, target, async () => {
      // Offsets of since-deleted topics linger in the group; "all topics" means the ones that still exist.
      const existing = new Set(topicsParam.length ? [] : await admin.listTopics());
      const topics = topicsParam.length ? topicsParam : (await topicsWithCommits(admin, groupId)).filter((t) => existing.has(t));
      if (!topics.length) {
        throw new NodeOperationError(this.getNode(), `Consumer group "${groupId}" has no committed offsets; name the topics to reset`, { itemIndex });
      }
      return await readPartitionStates(admin, groupId, topics, { partitions, timestamp });
    }),
  );
}

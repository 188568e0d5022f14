import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import { readSharePartitionStates, topicsWithShareState, type ResetTarget } from '../../../../shared';
import { confirmationField, requiredString, splitList } from '../../helpers/utils';
import { dryRunField } from '../group/fields';
import { parseTimestamp } from '../group/resetOffsets.operation';
import { shareGroupField } from './fields';
import { dryRunOf, planAndMaybeApplyShare, shareGroupIdOf, withShareAdmin } from './shared';

const show = { resource: ['shareGroup'], operation: ['resetStartOffsets'] };

const properties: INodeProperties[] = [
  shareGroupField,
  {
    displayName: 'Topics',
    name: 'topics',
    type: 'string',
    default: '',
    placeholder: 'email-jobs',
    description: 'Comma-separated topics to reset; empty means every topic the share group has start offsets on',
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
      { name: 'Earliest', value: 'earliest', description: 'The log start: deliver everything still retained again' },
      { name: 'Exact Offset', value: 'offset', description: 'The same start offset on every selected partition (clamped to the log)' },
      { name: 'Latest', value: 'latest', description: 'The log end: skip everything not yet delivered' },
      { name: 'Timestamp', value: 'timestamp', description: 'The first record at or after a point in time' },
    ],
  },
  {
    displayName: 'Timestamp',
    name: 'timestamp',
    type: 'dateTime',
    default: '',
    required: true,
    description: 'Records from this time on are delivered again',
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
  dryRunField,
  confirmationField('Group', { show: { dryRun: [false] } }),
];

export const description = updateDisplayOptions({ show }, properties);

/** The parameters of a share-group reset, checked before any request. */
export function readResetParameters(
  context: IExecuteFunctions,
  itemIndex: number,
): { groupId: string; dryRun: boolean; topics: string[]; partitions: number[]; target: ResetTarget; timestamp?: number } {
  const groupId = shareGroupIdOf(context, itemIndex);
  const dryRun = dryRunOf(context, itemIndex, groupId);
  const topics = splitList(context.getNodeParameter('topics', itemIndex, ''));
  const partitions = splitList(context.getNodeParameter('partitionNumbers', itemIndex, '')).map((p) => {
    if (!/^\d+$/.test(p)) throw new NodeOperationError(context.getNode(), `Partition "${p}" is not a partition number`, { itemIndex });
    return Number(p);
  });
  if (partitions.length && topics.length !== 1) {
    throw new NodeOperationError(context.getNode(), 'Partitions can only be chosen together with exactly one topic', { itemIndex });
  }
  const kind = context.getNodeParameter('target', itemIndex) as string;
  switch (kind) {
    case 'earliest':
    case 'latest':
      return { groupId, dryRun, topics, partitions, target: { kind } };
    case 'timestamp': {
      const timestamp = parseTimestamp(context, itemIndex);
      return { groupId, dryRun, topics, partitions, target: { kind, timestamp }, timestamp };
    }
    case 'offset': {
      const offset = requiredString(context, 'offset', itemIndex, 'Offset');
      if (!/^\d+$/.test(offset)) throw new NodeOperationError(context.getNode(), `Offset "${offset}" must be a non-negative whole number`, { itemIndex });
      return { groupId, dryRun, topics, partitions, target: { kind, offset } };
    }
    default:
      throw new NodeOperationError(context.getNode(), `Unknown reset target "${kind}"`, { itemIndex });
  }
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const { groupId, dryRun, topics: named, partitions, target, timestamp } = readResetParameters(this, itemIndex);
  return await withShareAdmin(this, async (share, admin) =>
    planAndMaybeApplyShare(this, share, itemIndex, { groupId, dryRun, target }, async () => {
      // State of since-deleted topics lingers in the group; "all topics" means the ones that still exist.
      const existing = new Set(named.length ? [] : await admin.listTopics());
      const topics = named.length ? named : (await topicsWithShareState(share, groupId)).filter((t) => existing.has(t));
      if (!topics.length) {
        throw new NodeOperationError(this.getNode(), `Share group "${groupId}" has no start offsets yet; name the topics to reset`, { itemIndex });
      }
      return await readSharePartitionStates(share, admin, groupId, topics, { partitions, timestamp });
    }),
  );
}

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import { readPartitionStates } from '../../../../shared';
import { confirmationField, jsonParameter, requiredLocator, withAdmin } from '../../helpers/utils';
import { dryRunField, groupField } from './fields';
import { planAndMaybeApply } from './shared';

const properties: INodeProperties[] = [
  groupField,
  {
    displayName: 'Offsets (JSON)',
    name: 'offsets',
    type: 'json',
    default: '{\n  "offsets": [{ "topic": "orders", "partition": 0, "offset": "0" }]\n}',
    required: true,
    description:
      'The "undo" object returned by Reset Offsets (or Set Offsets), or a list of {topic, partition, offset}. Partitions not listed keep their offsets.',
  },
  dryRunField,
  confirmationField('Group', { show: { dryRun: [false] } }),
];

export const description = updateDisplayOptions({ show: { resource: ['group'], operation: ['setOffsets'] } }, properties);

type Entry = { topic: string; partition: number; offset: string };

export function parseOffsets(context: IExecuteFunctions, itemIndex: number, groupId: string): Entry[] {
  const raw = jsonParameter(context, 'offsets', itemIndex, 'Offsets');
  const snapshot = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as { groupId?: unknown; offsets?: unknown }) : undefined;
  if (snapshot?.groupId !== undefined && snapshot.groupId !== groupId) {
    throw new NodeOperationError(context.getNode(), `These offsets were taken from group "${String(snapshot.groupId)}", not "${groupId}"`, { itemIndex });
  }
  const list = Array.isArray(raw) ? raw : snapshot?.offsets;
  if (!Array.isArray(list) || list.length === 0) {
    throw new NodeOperationError(context.getNode(), 'Offsets must be a non-empty list of {topic, partition, offset} or an undo snapshot with one', { itemIndex });
  }
  const seen = new Set<string>();
  return list.map((entry, index) => {
    const e = (entry ?? {}) as { topic?: unknown; partition?: unknown; offset?: unknown };
    const offset = typeof e.offset === 'number' || typeof e.offset === 'string' ? String(e.offset) : '';
    if (typeof e.topic !== 'string' || !e.topic || !Number.isInteger(Number(e.partition)) || !/^\d+$/.test(offset)) {
      throw new NodeOperationError(context.getNode(), `Offsets entry ${index} needs a topic, a partition number and a non-negative offset`, { itemIndex });
    }
    const key = `${e.topic}/${Number(e.partition)}`;
    if (seen.has(key)) throw new NodeOperationError(context.getNode(), `Partition ${key} is listed twice`, { itemIndex });
    seen.add(key);
    return { topic: e.topic, partition: Number(e.partition), offset };
  });
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const groupId = requiredLocator(this, 'groupId', itemIndex, 'Group ID');
  const offsets = parseOffsets(this, itemIndex, groupId);
  const topics = [...new Set(offsets.map((o) => o.topic))].sort();
  return await withAdmin(this, async (admin) =>
    planAndMaybeApply(this, admin, itemIndex, groupId, { kind: 'explicit', offsets }, () => readPartitionStates(admin, groupId, topics)),
  );
}

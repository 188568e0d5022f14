import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { readSharePartitionStates } from '../../../../shared';
import { confirmationField } from '../../helpers/utils';
import { dryRunField } from '../group/fields';
import { parseOffsets } from '../group/setOffsets.operation';
import { shareGroupField } from './fields';
import { dryRunOf, planAndMaybeApplyShare, shareGroupIdOf, withShareAdmin } from './shared';

const properties: INodeProperties[] = [
  shareGroupField,
  {
    displayName: 'Start Offsets (JSON)',
    name: 'offsets',
    type: 'json',
    default: '{\n  "offsets": [{ "topic": "email-jobs", "partition": 0, "offset": "0" }]\n}',
    required: true,
    description:
      'The "undo" object returned by Reset Start Offsets (or Set Start Offsets), or a list of {topic, partition, offset}. Partitions not listed keep their start offsets.',
  },
  dryRunField,
  confirmationField('Group', { show: { dryRun: [false] } }),
];

export const description = updateDisplayOptions({ show: { resource: ['shareGroup'], operation: ['setStartOffsets'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const groupId = shareGroupIdOf(this, itemIndex);
  const offsets = parseOffsets(this, itemIndex, groupId);
  const dryRun = dryRunOf(this, itemIndex, groupId);
  const topics = [...new Set(offsets.map((o) => o.topic))].sort();
  return await withShareAdmin(this, async (share, admin) =>
    planAndMaybeApplyShare(this, share, itemIndex, { groupId, dryRun, target: { kind: 'explicit', offsets } }, () => readSharePartitionStates(share, admin, groupId, topics)),
  );
}

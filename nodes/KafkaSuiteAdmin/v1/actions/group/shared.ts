import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import {
  applyOffsetPlan,
  describeGroupOrThrow,
  planOffsetReset,
  undoSnapshot,
  type KafkaAdmin,
  type PartitionState,
  type ResetTarget,
} from '../../../../shared';
import { assertConfirmed } from '../../helpers/utils';

/**
 * Reset and set-offsets share one flow: plan, show it, and only with dry run off (and the group
 * name typed) commit it. The result always carries the undo snapshot of the offsets before.
 */
export async function planAndMaybeApply(
  context: IExecuteFunctions,
  admin: KafkaAdmin,
  itemIndex: number,
  groupId: string,
  target: ResetTarget,
  readStates: () => Promise<PartitionState[]>,
): Promise<IDataObject> {
  const dryRun = context.getNodeParameter('dryRun', itemIndex, true) !== false;
  if (!dryRun) assertConfirmed(context, itemIndex, groupId, 'group');
  const group = await describeGroupOrThrow(admin, groupId);
  const states = await readStates();
  const plan = planOffsetReset(states, target);
  if (!plan.length) throw new NodeOperationError(context.getNode(), 'No partition matched; nothing to change', { itemIndex });
  const active = group.members.length > 0 || group.state !== 'Empty';
  const result: IDataObject = {
    groupId,
    dryRun,
    applied: false,
    target: target.kind === 'explicit' ? { kind: 'explicit' } : (target as unknown as IDataObject),
    groupState: group.state,
    activeMembers: group.members.length,
    partitions: plan as unknown as IDataObject[],
    undo: undoSnapshot(groupId, plan) as unknown as IDataObject,
  };
  if (dryRun) {
    if (active) result.warning = `The group is active (${group.state}); applying this would be refused until its consumers stop.`;
    return result;
  }
  const { verified, mismatches } = await applyOffsetPlan(admin, groupId, plan);
  if (!verified) {
    throw new NodeOperationError(
      context.getNode(),
      `Offsets were written but reading them back differs on ${mismatches.map((m) => `${m.topic}/${m.partition}`).join(', ')}; a consumer may have committed meanwhile`,
      { itemIndex },
    );
  }
  return { ...result, applied: true, verified };
}

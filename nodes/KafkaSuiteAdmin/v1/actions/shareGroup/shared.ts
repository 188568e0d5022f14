import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import {
  applyShareOffsetPlan,
  describeShareGroupOrThrow,
  planOffsetReset,
  undoSnapshot,
  withShareAdmin as openShareAdmin,
  type KafkaAdmin,
  type KafkaShareAdmin,
  type PartitionState,
  type ResetTarget,
} from '../../../../shared';
import { assertConfirmed, connectionOf, requiredString } from '../../helpers/utils';

/** The share group named by the item. */
export const shareGroupIdOf = (context: IExecuteFunctions, itemIndex: number): string => requiredString(context, 'shareGroupId', itemIndex, 'Share Group ID');

/**
 * Runs `use` with the share-group admin and the pooled admin of the node's cluster credential. Any
 * credential works: share groups are spoken by the suite's own protocol client whatever the library.
 */
export async function withShareAdmin<R>(context: IExecuteFunctions, use: (share: KafkaShareAdmin, admin: KafkaAdmin) => Promise<R>): Promise<R> {
  const connection = await connectionOf(context);
  return await openShareAdmin(connection, (share) => connection.withAdmin((admin) => use(share, admin)));
}

/**
 * Reset and set-start-offsets share one flow, the consumer groups' (../group/shared.ts): plan, show
 * it, and only with dry run off (and the group name typed) write it. The result always carries the
 * undo snapshot of the start offsets before, which Set Start Offsets takes as it is.
 */
/** Dry run (the default), or the group name typed as confirmation: checked before any connection opens. */
export function dryRunOf(context: IExecuteFunctions, itemIndex: number, groupId: string): boolean {
  const dryRun = context.getNodeParameter('dryRun', itemIndex, true) !== false;
  if (!dryRun) assertConfirmed(context, itemIndex, groupId, 'group');
  return dryRun;
}

export async function planAndMaybeApplyShare(
  context: IExecuteFunctions,
  share: KafkaShareAdmin,
  itemIndex: number,
  { groupId, dryRun, target }: { groupId: string; dryRun: boolean; target: ResetTarget },
  readStates: () => Promise<Array<PartitionState & { shareLag: string | null }>>,
): Promise<IDataObject> {
  const group = await describeShareGroupOrThrow(share, groupId);
  const states = await readStates();
  const shareLagOf = new Map(states.map((s) => [`${s.topic}/${s.partition}`, s.shareLag]));
  const plan = planOffsetReset(states, target);
  if (!plan.length) throw new NodeOperationError(context.getNode(), 'No partition matched; nothing to change', { itemIndex });
  const active = group.members.length > 0 || group.state !== 'Empty';
  const result: IDataObject = {
    groupId,
    groupType: 'share',
    dryRun,
    applied: false,
    target: target.kind === 'explicit' ? { kind: 'explicit' } : (target as unknown as IDataObject),
    groupState: group.state,
    activeMembers: group.members.length,
    // before/after are start offsets; lagBefore/lagAfter count from them to the log end, shareLagBefore is the broker's count.
    partitions: plan.map((p) => ({ ...p, shareLagBefore: shareLagOf.get(`${p.topic}/${p.partition}`) ?? null })),
    undo: undoSnapshot(groupId, plan) as unknown as IDataObject,
  };
  if (dryRun) {
    if (active) result.warning = `The share group is active (${group.state}, ${group.members.length} member(s)); applying this would be refused until its consumers stop.`;
    return result;
  }
  const { verified, mismatches } = await applyShareOffsetPlan(share, groupId, plan);
  if (!verified) {
    throw new NodeOperationError(
      context.getNode(),
      `Start offsets were written but reading them back differs on ${mismatches.map((m) => `${m.topic}/${m.partition}`).join(', ')}; a consumer may have joined meanwhile`,
      { itemIndex },
    );
  }
  return { ...result, applied: true, verified };
}

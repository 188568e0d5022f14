// One lag run, the same for Lag Check (per execution) and Lag Trigger (per poll): collect a snapshot
// from the cluster, judge it against the history kept in the workflow's static data, store the new
// history. What each node does with the judged groups (items, Prometheus text, incidents) stays in it.
import type { KafkaClusterCredential } from '../credentialTypes';
import { collectLagSnapshot, noGroupMatchesError, notFoundError, type LagGroupType } from './collect';
import { asLagState, evaluateSnapshot, type EvaluateOptions, type GroupResult, type LagSnapshot } from './evaluate';
import type { GroupSelection } from './selection';

/** Where the history lives in the node's static data; both nodes use the same key (one shape). */
export const LAG_STATE_KEY = 'kafkaSuiteLag';

export interface LagRunOptions extends EvaluateOptions {
  /**
   * 'error': a named group the cluster does not know, or a pattern matching none, fails the run
   * (Lag Check's default). 'notFound': it is judged as Burrow's NOTFOUND (the Trigger: a group that
   * vanished is an incident).
   */
  missingGroups: 'error' | 'notFound';
  /** Default 'consumer'; 'share' judges share groups (KIP-932) on their share-partition lag. */
  groupType?: LagGroupType;
}

export interface LagRun {
  snapshot: LagSnapshot;
  groups: GroupResult[];
}

export async function runLagPipeline(
  cred: KafkaClusterCredential,
  selection: GroupSelection,
  staticData: Record<string, unknown>,
  options: LagRunOptions,
): Promise<LagRun> {
  const groupType = options.groupType ?? 'consumer';
  const { snapshot, missing } = await collectLagSnapshot(cred, selection, groupType);
  if (options.missingGroups === 'error') {
    if (missing.length) throw notFoundError(missing, groupType);
    if (selection.kind === 'regex' && snapshot.groups.length === 0) throw noGroupMatchesError(selection.source, groupType);
  }
  const { missingGroups: _missingGroups, groupType: _groupType, ...evaluate } = options;
  const { state, groups } = evaluateSnapshot(asLagState(staticData[LAG_STATE_KEY]), snapshot, evaluate);
  staticData[LAG_STATE_KEY] = state;
  return { snapshot, groups };
}

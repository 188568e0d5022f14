import { randomUUID } from 'node:crypto';
import type { IDataObject, INodeExecutionData, INodeType, INodeTypeBaseDescription, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { credentialTests, getClusterCredential, listSearch, locatorValue, toNodeError } from '../../shared';
import { parseGroupSelection, runLagPipeline, stepIncidents, type GroupResult, type IncidentState, type LagRun } from '../../shared/lag';
import { versionDescription } from './description';

interface Options {
  includePartitions?: boolean;
  maxTimelinePoints?: number;
}

const INCIDENTS_KEY = 'kafkaSuiteLagIncidents';

function groupSummary(group: GroupResult, includePartitions: boolean): IDataObject {
  const { partitions, ...rest } = group;
  return { ...rest, ...(includePartitions ? { partitions } : {}) } as unknown as IDataObject;
}

// eslint-disable-next-line @n8n/community-nodes/icon-validation -- versioned node: the icon is in the base description (KafkaSuiteLagTrigger.node.ts), which n8n resolves relative to that file
export class KafkaSuiteLagTriggerV1 implements INodeType {
  description: INodeTypeDescription;

  constructor(baseDescription: INodeTypeBaseDescription) {
    this.description = versionDescription(baseDescription);
  }

  methods = { credentialTest: credentialTests, listSearch };

  /**
   * One sample per poll; emits only incident transitions. Named groups the cluster does not know
   * count as NOTFOUND (a group that vanished is an incident), unlike in the Lag Check node.
   */
  async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
    const node = this.getNode();
    let selection;
    try {
      selection = parseGroupSelection(locatorValue(this, 'groups'));
    } catch (error) {
      throw toNodeError(node, error);
    }
    const windowSize = this.getNodeParameter('windowSize', 10) as number;
    const allowedLag = this.getNodeParameter('allowedLag', 0) as number;
    const debouncePolls = this.getNodeParameter('debouncePolls', 2) as number;
    const options = this.getNodeParameter('options', {}) as Options;
    const includePartitions = options.includePartitions ?? false;

    const staticData = this.getWorkflowStaticData('node');
    let run: LagRun;
    try {
      run = await runLagPipeline(await getClusterCredential(this), selection, staticData, {
        windowSize,
        allowedLag,
        maxTimelinePoints: options.maxTimelinePoints,
        missingGroups: 'notFound',
      });
    } catch (error) {
      throw toNodeError(node, error);
    }
    const { snapshot, groups } = run;

    if (this.getMode() === 'manual') {
      // "Fetch test event": show what the groups look like now, without opening incidents.
      const items = groups.map((group) => ({ json: { event: 'status', ...groupSummary(group, includePartitions) } }));
      return items.length ? [items] : null;
    }

    const incidents = (staticData[INCIDENTS_KEY] ?? {}) as IncidentState;
    const { state: nextIncidents, events } = stepIncidents(incidents, groups, { debouncePolls, now: snapshot.at, newId: randomUUID });
    if (selection.kind === 'regex') {
      // Groups come and go under a pattern; forget the quiet ones that left. An open incident stays
      // open until its group is seen healthy again, so it is never silently dropped.
      const present = new Set(groups.map((group) => group.group));
      for (const [group, record] of Object.entries(nextIncidents)) if (!present.has(group) && !record.open) delete nextIncidents[group];
    }
    staticData[INCIDENTS_KEY] = nextIncidents as unknown as IDataObject;
    if (!events.length) return null;

    const byGroup = new Map(groups.map((group) => [group.group, group]));
    const items: INodeExecutionData[] = events.map((event) => {
      const group = byGroup.get(event.group);
      return { json: { ...(group ? groupSummary(group, includePartitions) : {}), ...event } as unknown as IDataObject };
    });
    return [items];
  }
}

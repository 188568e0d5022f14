import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { getClusterCredential, locatorValue } from '../../../../shared';
import { lagAllowedLagField, lagGroupsField, lagIncludePartitionsOption, lagTimelinePointsOption, lagWindowSizeField } from '../../../../shared/descriptions/lag';
import { parseGroupSelection, runLagPipeline, toPrometheus } from '../../../../shared/lag';
import { optionsCollection } from '../../../../shared/descriptions/options';

const properties: INodeProperties[] = [
  {
    displayName:
      'Status and lag in seconds need history: each run keeps one sample per partition in the workflow\'s static data, which n8n saves for production (active) executions only. For alerting, the Kafka Lag Trigger polls on a schedule.',
    name: 'historyNotice',
    type: 'notice',
    default: '',
  },
  {
    displayName: 'Group Type',
    name: 'groupType',
    type: 'options',
    default: 'consumer',
    options: [
      { name: 'Consumer Group', value: 'consumer', description: 'Lag of committed offsets behind the log end' },
      {
        name: 'Share Group',
        value: 'share',
        description: 'Share-partition lag (KIP-932): records not yet acknowledged, as the broker counts them. Needs Kafka 4.x and Node.js 22.22+ or 24.6+.',
      },
    ],
  },
  lagGroupsField,
  lagWindowSizeField(
    "Samples per partition the status is judged on (Burrow's default is 10). Samples are kept between runs, so the status needs this many runs before it can leave OK.",
  ),
  lagAllowedLagField,
  {
    displayName: 'Output',
    name: 'output',
    type: 'options',
    default: 'groups',
    options: [
      { name: 'One Item per Group', value: 'groups', description: 'Status, totals, time lag and catch-up per group, with topics and partitions' },
      { name: 'One Item per Partition', value: 'partitions', description: 'Flat rows: group, topic, partition, offsets, lag and status' },
      { name: 'Prometheus Text', value: 'prometheus', description: 'One item whose "metrics" field is in the Prometheus text exposition format' },
    ],
  },
  optionsCollection([
    { ...lagIncludePartitionsOption('Whether group items (and Prometheus text) include per-partition detail'), default: true },
    {
      displayName: 'Missing Groups',
      name: 'missingGroups',
      type: 'options',
      default: 'error',
      options: [
        { name: 'Fail', value: 'error', description: 'A named group the cluster does not know (or a pattern matching none) is an error' },
        { name: 'Report as NOTFOUND', value: 'notFound', description: "Output the group with Burrow's NOTFOUND status" },
      ],
    },
    lagTimelinePointsOption('Log-end samples kept per partition to interpolate the lag in seconds; more points reach further back'),
  ]),
];

export const description = updateDisplayOptions({ show: { resource: ['consumerGroup'], operation: ['checkLag'] } }, properties);

interface Options {
  includePartitions?: boolean;
  missingGroups?: 'error' | 'notFound';
  maxTimelinePoints?: number;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
  const selection = parseGroupSelection(locatorValue(this, 'groups', itemIndex));
  const windowSize = this.getNodeParameter('windowSize', itemIndex, 10) as number;
  const allowedLag = this.getNodeParameter('allowedLag', itemIndex, 0) as number;
  const output = this.getNodeParameter('output', itemIndex, 'groups') as 'groups' | 'partitions' | 'prometheus';
  const groupType = this.getNodeParameter('groupType', itemIndex, 'consumer') === 'share' ? 'share' : 'consumer';
  const options = this.getNodeParameter('options', itemIndex, {}) as Options;
  const includePartitions = options.includePartitions ?? true;

  const { groups } = await runLagPipeline(await getClusterCredential(this), selection, this.getWorkflowStaticData('node'), {
    windowSize,
    allowedLag,
    maxTimelinePoints: options.maxTimelinePoints,
    missingGroups: options.missingGroups === 'notFound' ? 'notFound' : 'error',
    groupType,
  });

  if (output === 'prometheus') {
    return [{ contentType: 'text/plain; version=0.0.4; charset=utf-8', metrics: toPrometheus(groups, { includePartitions }) }];
  }
  if (output === 'partitions') {
    return groups.flatMap((group) =>
      group.partitions.length
        ? group.partitions.map((p) => ({ group: group.group, groupStatus: group.status, ...p }) as unknown as IDataObject)
        : [{ group: group.group, groupStatus: group.status } as IDataObject],
    );
  }
  return groups.map((group) => {
    const { partitions: _partitions, ...rest } = group;
    return (includePartitions ? group : rest) as unknown as IDataObject;
  });
}

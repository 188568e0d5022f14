import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { auditCluster, collectClusterSnapshot, nameMatcher, SEVERITY_ORDER, summarize, type Severity } from '../../../../shared';
import { asData, withAdmin } from '../../helpers/utils';
import { nameFilterField, optionsCollection } from '../../../../shared/descriptions/options';

const properties: INodeProperties[] = [
  nameFilterField('Topic Filter', 'topicFilter', 'Topics to audit: text to contain, a glob with * and ?, or a regular expression as /…/. Empty audits every topic except internal ones.'),
  {
    displayName: 'Output',
    name: 'output',
    type: 'options',
    options: [
      { name: 'One Report', value: 'report', description: 'One item with a summary and every finding (best for AI agents and emails)' },
      { name: 'One Item per Finding', value: 'findings', description: 'Easy to route by severity with an If or Switch node' },
    ],
    default: 'report',
  },
  optionsCollection([
    {
      displayName: 'High Throughput (Messages/s)',
      name: 'highThroughputPerSecond',
      type: 'number',
      typeOptions: { minValue: 1 },
      default: 1000,
      description: 'A single-partition topic taking at least this many messages per second is reported',
    },
    {
      displayName: 'Include Internal Topics',
      name: 'includeInternal',
      type: 'boolean',
      default: false,
      description: 'Whether to audit topics whose name starts with "__" (consumer offsets, transaction state)',
    },
    {
      displayName: 'Inspect Newest Records',
      name: 'sampleRecords',
      type: 'boolean',
      default: true,
      description:
        'Whether to read the newest records of each partition (with a throwaway group that commits nothing) to find producers writing without idempotence',
    },
    {
      displayName: 'Minimum Replication Factor',
      name: 'minReplicationFactor',
      type: 'number',
      typeOptions: { minValue: 1 },
      default: 3,
      description: 'Replication factor production topics must have; capped by the number of brokers',
    },
    {
      displayName: 'Minimum Severity',
      name: 'minSeverity',
      type: 'options',
      options: SEVERITY_ORDER.map((s) => ({ name: s.charAt(0).toUpperCase() + s.slice(1), value: s })),
      default: 'info',
      description: 'Leave out findings below this severity',
    },
    {
      displayName: 'Partition Skew Ratio',
      name: 'partitionSkewRatio',
      type: 'number',
      typeOptions: { minValue: 1, numberPrecision: 2 },
      default: 2,
      description: 'A partition holding more than this multiple of the mean message count of its topic is reported',
    },
    {
      displayName: 'Recent Window (Minutes)',
      name: 'windowMinutes',
      type: 'number',
      typeOptions: { minValue: 0, numberPrecision: 2 },
      default: 5,
      description: 'How far back traffic is counted (from the brokers’ time index) for throughput and growing lag; 0 turns those checks off',
    },
  ]),
];

export const description = updateDisplayOptions({ show: { resource: ['advisor'], operation: ['audit'] } }, properties);

interface AuditOptions {
  highThroughputPerSecond?: number;
  includeInternal?: boolean;
  sampleRecords?: boolean;
  minReplicationFactor?: number;
  minSeverity?: Severity;
  partitionSkewRatio?: number;
  windowMinutes?: number;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
  const topicMatches = nameMatcher(this.getNodeParameter('topicFilter', itemIndex, '') as string);
  const output = this.getNodeParameter('output', itemIndex, 'report') as 'report' | 'findings';
  const options = this.getNodeParameter('options', itemIndex, {}) as AuditOptions;
  const windowMs = Math.max(0, (options.windowMinutes ?? 5) * 60_000);
  const snapshot = await withAdmin(this, async (admin) =>
    collectClusterSnapshot(admin, { topicMatches, includeInternal: options.includeInternal ?? false, windowMs, sampleRecords: options.sampleRecords ?? true }),
  );
  const cutoff = SEVERITY_ORDER.indexOf(options.minSeverity ?? 'info');
  const findings = auditCluster(snapshot, {
    minReplicationFactor: options.minReplicationFactor,
    highThroughputPerSecond: options.highThroughputPerSecond,
    partitionSkewRatio: options.partitionSkewRatio,
  }).filter((f) => SEVERITY_ORDER.indexOf(f.severity) <= cutoff);
  if (output === 'findings') return findings.map((f) => ({ json: asData(f) }));
  const report: IDataObject = {
    healthy: findings.every((f) => f.severity === 'info' || f.severity === 'low'),
    summary: summarize(findings),
    checked: {
      brokers: snapshot.brokers.length,
      topics: snapshot.topics.length,
      partitions: snapshot.topics.reduce((n, t) => n + t.partitions.length, 0),
      groups: snapshot.groups.length,
      windowSeconds: windowMs / 1000,
      recordsSampled: snapshot.recordsSampled,
    },
    findings: findings as unknown as IDataObject[],
    topicsWithoutFindings: snapshot.topics.map((t) => t.name).filter((name) => !findings.some((f) => (f.scope === 'topic' || f.scope === 'partition') && f.resource === name)),
  };
  return [{ json: report }];
}

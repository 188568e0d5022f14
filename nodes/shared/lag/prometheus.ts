// Prometheus text exposition format 0.0.4, so a Lag Check can feed a Pushgateway or be served by a
// webhook workflow as a scrape target. Metric names follow kafka-lag-exporter's where they overlap.
import type { GroupResult } from './evaluate';

const STATUSES = ['OK', 'WARN', 'ERR', 'NOTFOUND'] as const;

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function labels(pairs: Record<string, string | number>): string {
  return `{${Object.entries(pairs)
    .map(([key, value]) => `${key}="${escapeLabel(String(value))}"`)
    .join(',')}}`;
}

function number(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

interface Family {
  name: string;
  help: string;
  lines: string[];
}

export function toPrometheus(groups: readonly GroupResult[], options: { includePartitions?: boolean } = {}): string {
  const includePartitions = options.includePartitions ?? true;
  const family = (name: string, help: string): Family => ({ name, help, lines: [] });
  const partitionLag = family('kafka_consumergroup_group_lag', 'Offset lag of a consumer group on a partition (log end minus committed offset).');
  const partitionTimeLag = family('kafka_consumergroup_group_lag_seconds', 'Time lag of a consumer group on a partition, interpolated from log-end samples.');
  const topicLag = family('kafka_consumergroup_group_topic_sum_lag', 'Sum of the offset lag of a consumer group over the partitions of a topic.');
  const groupLag = family('kafka_consumergroup_group_sum_lag', 'Sum of the offset lag of a consumer group over all its partitions.');
  const groupMaxLag = family('kafka_consumergroup_group_max_lag', 'Largest partition offset lag of a consumer group.');
  const groupMaxTime = family('kafka_consumergroup_group_max_lag_seconds', 'Largest partition time lag of a consumer group.');
  const status = family('kafka_consumergroup_status', "Burrow status of a consumer group: 1 for the group's current status, 0 for the others.");
  const catchUp = family('kafka_consumergroup_catch_up_seconds', 'Estimated seconds until the group catches up at its recent net consume rate.');

  for (const group of groups) {
    for (const candidate of STATUSES) status.lines.push(`${status.name}${labels({ group: group.group, status: candidate })} ${candidate === group.status ? 1 : 0}`);
    if (group.status === 'NOTFOUND') continue;
    groupLag.lines.push(`${groupLag.name}${labels({ group: group.group })} ${number(group.totalLag)}`);
    groupMaxLag.lines.push(`${groupMaxLag.name}${labels({ group: group.group })} ${number(group.maxLag)}`);
    if (group.maxTimeLagSeconds !== null) groupMaxTime.lines.push(`${groupMaxTime.name}${labels({ group: group.group })} ${number(group.maxTimeLagSeconds)}`);
    if (group.catchUpSeconds !== null) catchUp.lines.push(`${catchUp.name}${labels({ group: group.group })} ${number(group.catchUpSeconds)}`);
    for (const topic of group.topics) topicLag.lines.push(`${topicLag.name}${labels({ group: group.group, topic: topic.topic })} ${number(topic.lag)}`);
    if (!includePartitions) continue;
    for (const p of group.partitions) {
      const l = labels({ group: group.group, topic: p.topic, partition: p.partition });
      if (p.lag !== null) partitionLag.lines.push(`${partitionLag.name}${l} ${number(p.lag)}`);
      if (p.timeLagSeconds !== null) partitionTimeLag.lines.push(`${partitionTimeLag.name}${l} ${number(p.timeLagSeconds)}`);
    }
  }

  return (
    [partitionLag, partitionTimeLag, topicLag, groupLag, groupMaxLag, groupMaxTime, catchUp, status]
      .filter((f) => f.lines.length)
      .map((f) => [`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} gauge`, ...f.lines].join('\n'))
      .join('\n') + '\n'
  );
}

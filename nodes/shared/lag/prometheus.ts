// Prometheus text exposition format 0.0.4, so a Lag Check can feed a Pushgateway or be served by a
// webhook workflow as a scrape target. Where kafka_exporter (danielqsj) has a metric for the same
// thing, we use its name and labels, so the alert rules and dashboards in infra/monitoring work with
// either source; what kafka_exporter lacks (time lag, Burrow status, catch-up) follows the same
// naming. LAG_METRICS is that vocabulary, shared with the rules and dashboards.
import type { GroupResult } from './evaluate';

export const LAG_METRICS = {
  partitionLag: 'kafka_consumergroup_lag',
  topicLag: 'kafka_consumergroup_lag_sum',
  committedOffset: 'kafka_consumergroup_current_offset',
  logEndOffset: 'kafka_topic_partition_current_offset',
  members: 'kafka_consumergroup_members',
  partitionTimeLag: 'kafka_consumergroup_lag_seconds',
  groupMaxLag: 'kafka_consumergroup_max_lag',
  groupMaxTimeLag: 'kafka_consumergroup_max_lag_seconds',
  catchUp: 'kafka_consumergroup_catch_up_seconds',
  status: 'kafka_consumergroup_status',
} as const;
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
  const M = LAG_METRICS;
  const family = (name: string, help: string): Family => ({ name, help, lines: [] });
  const partitionLag = family(M.partitionLag, 'Offset lag of a consumer group on a partition (log end minus committed offset).');
  const committed = family(M.committedOffset, 'Offset a consumer group committed on a partition.');
  const logEnd = family(M.logEndOffset, 'Log end offset of a partition read by a checked group.');
  const partitionTimeLag = family(M.partitionTimeLag, 'Time lag of a consumer group on a partition, interpolated from log-end samples.');
  const topicLag = family(M.topicLag, 'Sum of the offset lag of a consumer group over the partitions of a topic.');
  const members = family(M.members, 'Members of a consumer group.');
  const groupMaxLag = family(M.groupMaxLag, 'Largest partition offset lag of a consumer group.');
  const groupMaxTime = family(M.groupMaxTimeLag, 'Largest partition time lag of a consumer group.');
  const status = family(M.status, "Burrow status of a consumer group: 1 for the group's current status, 0 for the others.");
  const catchUp = family(M.catchUp, 'Estimated seconds until the group catches up at its recent net consume rate.');
  // Two groups reading one topic see the same log end: one series per partition, not per group.
  const seenLogEnd = new Set<string>();

  for (const group of groups) {
    const g = group.group;
    for (const candidate of STATUSES) status.lines.push(`${status.name}${labels({ consumergroup: g, status: candidate })} ${candidate === group.status ? 1 : 0}`);
    if (group.status === 'NOTFOUND') continue;
    if (group.members !== null) members.lines.push(`${members.name}${labels({ consumergroup: g })} ${number(group.members)}`);
    groupMaxLag.lines.push(`${groupMaxLag.name}${labels({ consumergroup: g })} ${number(group.maxLag)}`);
    if (group.maxTimeLagSeconds !== null) groupMaxTime.lines.push(`${groupMaxTime.name}${labels({ consumergroup: g })} ${number(group.maxTimeLagSeconds)}`);
    if (group.catchUpSeconds !== null) catchUp.lines.push(`${catchUp.name}${labels({ consumergroup: g })} ${number(group.catchUpSeconds)}`);
    for (const topic of group.topics) topicLag.lines.push(`${topicLag.name}${labels({ consumergroup: g, topic: topic.topic })} ${number(topic.lag)}`);
    if (!includePartitions) continue;
    for (const p of group.partitions) {
      const l = labels({ consumergroup: g, topic: p.topic, partition: p.partition });
      if (p.lag !== null) partitionLag.lines.push(`${partitionLag.name}${l} ${number(p.lag)}`);
      if (p.committedOffset !== null) committed.lines.push(`${committed.name}${l} ${number(p.committedOffset)}`);
      if (p.timeLagSeconds !== null) partitionTimeLag.lines.push(`${partitionTimeLag.name}${l} ${number(p.timeLagSeconds)}`);
      const key = `${p.topic}\u0000${p.partition}`;
      if (!seenLogEnd.has(key)) {
        seenLogEnd.add(key);
        logEnd.lines.push(`${logEnd.name}${labels({ topic: p.topic, partition: p.partition })} ${number(p.logEndOffset)}`);
      }
    }
  }

  return (
    [partitionLag, committed, logEnd, partitionTimeLag, topicLag, members, groupMaxLag, groupMaxTime, catchUp, status]
      .filter((f) => f.lines.length)
      .map((f) => [`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} gauge`, ...f.lines].join('\n'))
      .join('\n') + '\n'
  );
}

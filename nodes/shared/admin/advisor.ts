/**
 * The cluster advisor's guardrails: pure rules over a snapshot of the cluster (collected by
 * clusterSnapshot.ts), so each rule can be tested on hand-made snapshots and the audit operation
 * stays one I/O step plus one evaluation.
 */

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';
export const SEVERITY_ORDER: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

export interface ConfigValue {
  value: string | null;
  /** TOPIC, DYNAMIC_BROKER, STATIC_BROKER, DEFAULT, … (where the effective value comes from) */
  source: string;
}

export interface SnapshotPartition {
  partition: number;
  /** -1 when the partition has no leader (offline) */
  leader: number;
  replicas: number[];
  isr: number[];
  offlineReplicas: number[];
  low: string;
  high: string;
  /** Messages appended within the recent window (log end minus the offset at window start). */
  recentMessages: number;
  /** Producer id of the newest record batch, when records were sampled; -1 = written without idempotence. */
  lastProducerId?: number;
}

export interface SnapshotTopic {
  name: string;
  partitions: SnapshotPartition[];
  configs: Record<string, ConfigValue>;
  /** The brokers could not describe the topic because a partition has no leader (layout unknown). */
  leaderless?: boolean;
}

export interface SnapshotGroup {
  groupId: string;
  state: string;
  protocolType: string;
  members: number;
  /** Topics the group reads: assigned to a member or committed on (any topic, in scope or not). */
  topics: string[];
  /** Lag per partition the group has committed on (topics in the snapshot only). */
  offsets: Array<{ topic: string; partition: number; committed: string | null; logEnd: string; lag: number }>;
}

export interface ClusterSnapshot {
  brokers: Array<{ nodeId: number; host: string; port: number }>;
  controller: number | null;
  /** Effective configs of one broker (the controller, or the first one), for cluster-wide defaults. */
  brokerConfigs: Record<string, ConfigValue>;
  topics: SnapshotTopic[];
  groups: SnapshotGroup[];
  /** Length of the recent window behind `recentMessages`, in ms. */
  windowMs: number;
  /** Whether `lastProducerId` was sampled; rules that need it say so when it was not. */
  recordsSampled: boolean;
  /** Topics could not be listed because some partition has no leader (its metadata answer fails). */
  topicsUnavailable?: boolean;
  /** Not even the broker list could be read (same cause); broker-count rules are then skipped. */
  brokersUnknown?: boolean;
}

export interface AuditThresholds {
  /** Replication factor a production topic should have (3: survives one broker loss with min.insync.replicas 2). */
  minReplicationFactor: number;
  /** Messages per second above which one partition is a bottleneck for consumers. */
  highThroughputPerSecond: number;
  /** Largest partition's retained messages over the topic's mean that counts as skewed. */
  partitionSkewRatio: number;
  /** Below this many retained messages per topic, data skew is noise. */
  minMessagesForSkew: number;
  /** Busiest broker's leader (or replica) count over the mean that counts as skewed. */
  brokerSkewRatio: number;
}

export const DEFAULT_THRESHOLDS: AuditThresholds = {
  minReplicationFactor: 3,
  highThroughputPerSecond: 1000,
  partitionSkewRatio: 2,
  minMessagesForSkew: 1000,
  brokerSkewRatio: 1.5,
};

export interface Finding {
  rule: string;
  severity: Severity;
  scope: 'cluster' | 'broker' | 'topic' | 'partition' | 'group';
  /** Topic name, group ID, broker ID or cluster ID. */
  resource: string;
  title: string;
  /** The numbers behind the finding. */
  detail: string;
  /** The setting that causes it, with its effective value and where that value comes from. */
  cause: { config: string; value: string | null; source?: string };
  fix: string;
  /** Machine-readable remedy where one exists (a reassignment plan, a config to set). */
  remedy?: Record<string, unknown>;
}

const bigintOf = (value: string): bigint => {
  try {
    return BigInt(value);
  } catch {
    // The Kafka API reports offsets as decimal strings; anything else is treated as an empty log.
    return 0n;
  }
};
const retained = (p: SnapshotPartition): number => Number(bigintOf(p.high) - bigintOf(p.low));
const configValue = (topic: SnapshotTopic, name: string): ConfigValue => topic.configs[name] ?? { value: null, source: 'UNKNOWN' };
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
const replicationFactor = (topic: SnapshotTopic) => Math.max(0, ...topic.partitions.map((p) => p.replicas.length));
const isInternal = (name: string) => name.startsWith('__');

/**
 * A reassignment (kafka-reassign-partitions.sh --reassignment-json-file) raising every partition to
 * `target` replicas, adding the brokers that currently hold the fewest replicas first.
 */
export function raiseReplicationPlan(topic: SnapshotTopic, brokerIds: number[], target: number): { version: 1; partitions: Array<{ topic: string; partition: number; replicas: number[] }> } {
  const load = new Map<number, number>(brokerIds.map((id) => [id, 0]));
  for (const p of topic.partitions) for (const r of p.replicas) load.set(r, (load.get(r) ?? 0) + 1);
  const partitions = [...topic.partitions]
    .sort((a, b) => a.partition - b.partition)
    .map((p) => {
      const replicas = [...p.replicas];
      while (replicas.length < target) {
        const candidates = brokerIds.filter((id) => !replicas.includes(id)).sort((a, b) => (load.get(a) ?? 0) - (load.get(b) ?? 0) || a - b);
        if (!candidates.length) break;
        replicas.push(candidates[0]);
        load.set(candidates[0], (load.get(candidates[0]) ?? 0) + 1);
      }
      return { topic: topic.name, partition: p.partition, replicas };
    });
  return { version: 1, partitions };
}

function clusterRules(s: ClusterSnapshot, t: AuditThresholds): Finding[] {
  const out: Finding[] = [];
  const brokers = s.brokers.length;
  const clusterId = 'cluster';
  if (s.topicsUnavailable) {
    out.push({
      rule: 'offline-partitions',
      severity: 'critical',
      scope: 'cluster',
      resource: clusterId,
      title: 'Partitions without a leader: topics cannot be listed',
      detail: 'The brokers answer LEADER_NOT_AVAILABLE in their metadata, so at least one partition can be neither read nor written, and topic-level checks cannot run until it has a leader again.',
      cause: { config: 'replica availability', value: 'no live replica can lead' },
      fix: 'kafka-topics --bootstrap-server <brokers> --describe --unavailable-partitions names them; bring back the brokers holding their replicas. Only if those are lost for good: kafka-leader-election --election-type unclean (accepts data loss).',
    });
  }
  if (s.brokersUnknown) return out;
  if (brokers < t.minReplicationFactor) {
    out.push({
      rule: 'too-few-brokers',
      severity: 'high',
      scope: 'cluster',
      resource: clusterId,
      title: `The cluster has ${brokers} broker${brokers === 1 ? '' : 's'}: no topic can have replication factor ${t.minReplicationFactor}`,
      detail: `Replication factor is capped by the broker count (${brokers}); losing ${brokers === 1 ? 'the broker' : 'a broker'} makes partitions unavailable${brokers === 1 ? ' and risks data loss' : ''}. Fine for development, not for production.`,
      cause: { config: 'broker count', value: String(brokers) },
      fix: `Run at least ${t.minReplicationFactor} brokers, then raise each topic's replication factor with kafka-reassign-partitions.`,
    });
  }
  const unclean = s.brokerConfigs['unclean.leader.election.enable'];
  if (unclean?.value === 'true') {
    out.push({
      rule: 'unclean-leader-election',
      severity: 'high',
      scope: 'broker',
      resource: clusterId,
      title: 'Unclean leader election is enabled for every topic without an override',
      detail: 'An out-of-sync replica may become leader after a failure; messages acknowledged by the old leader are then lost.',
      cause: { config: 'unclean.leader.election.enable', value: unclean.value, source: unclean.source },
      fix: 'kafka-configs --bootstrap-server <brokers> --entity-type brokers --entity-default --alter --add-config unclean.leader.election.enable=false (and remove it from server.properties).',
      remedy: { config: { 'unclean.leader.election.enable': 'false' } },
    });
  }
  const autoCreate = s.brokerConfigs['auto.create.topics.enable'];
  if (autoCreate?.value === 'true') {
    out.push({
      rule: 'auto-create-topics',
      severity: 'low',
      scope: 'broker',
      resource: clusterId,
      title: 'Topics are created on first use',
      detail: 'A typo in a topic name silently creates a new topic with broker defaults instead of failing.',
      cause: { config: 'auto.create.topics.enable', value: autoCreate.value, source: autoCreate.source },
      fix: 'Set auto.create.topics.enable=false in server.properties and create topics explicitly (Admin node, Terraform).',
      remedy: { config: { 'auto.create.topics.enable': 'false' } },
    });
  }
  const defaultRf = Number(s.brokerConfigs['default.replication.factor']?.value ?? NaN);
  const achievable = Math.min(t.minReplicationFactor, brokers);
  if (Number.isFinite(defaultRf) && defaultRf < achievable) {
    out.push({
      rule: 'default-replication-factor-low',
      severity: 'medium',
      scope: 'broker',
      resource: clusterId,
      title: `Topics created without a replication factor get ${defaultRf}`,
      detail: `default.replication.factor is ${defaultRf} on a cluster of ${brokers} brokers.`,
      cause: { config: 'default.replication.factor', value: String(defaultRf), source: s.brokerConfigs['default.replication.factor']?.source },
      fix: `Set default.replication.factor=${achievable} on every broker.`,
      remedy: { config: { 'default.replication.factor': String(achievable) } },
    });
  }
  out.push(...brokerSkewRules(s, t));
  return out;
}

function brokerSkewRules(s: ClusterSnapshot, t: AuditThresholds): Finding[] {
  if (s.brokers.length < 2) return [];
  const out: Finding[] = [];
  const leaders = new Map<number, number>(s.brokers.map((b) => [b.nodeId, 0]));
  const replicas = new Map<number, number>(s.brokers.map((b) => [b.nodeId, 0]));
  let notPreferred = 0;
  for (const topic of s.topics) {
    for (const p of topic.partitions) {
      if (p.leader >= 0) leaders.set(p.leader, (leaders.get(p.leader) ?? 0) + 1);
      for (const r of p.replicas) replicas.set(r, (replicas.get(r) ?? 0) + 1);
      if (p.leader >= 0 && p.replicas.length && p.leader !== p.replicas[0]) notPreferred++;
    }
  }
  for (const [what, counts] of [
    ['leader', leaders],
    ['replica', replicas],
  ] as const) {
    const values = [...counts.values()];
    const total = values.reduce((a, b) => a + b, 0);
    // With fewer items than brokers, some broker is necessarily empty: not a skew to fix.
    if (total < s.brokers.length * 2) continue;
    const mean = total / s.brokers.length;
    const [busiest, count] = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0];
    const ratio = count / mean;
    if (ratio <= t.brokerSkewRatio) continue;
    const perBroker = [...counts.entries()].sort((a, b) => a[0] - b[0]).map(([id, n]) => `${id}: ${n}`).join(', ');
    out.push({
      rule: what === 'leader' ? 'leader-skew' : 'replica-skew',
      severity: 'medium',
      scope: 'broker',
      resource: String(busiest),
      title: `Broker ${busiest} holds ${count} of ${total} partition ${what}s (${round(ratio, 2)}× the mean)`,
      detail: `${what === 'leader' ? 'Leaders' : 'Replicas'} per broker: ${perBroker}. The busiest broker limits the cluster's throughput${what === 'leader' && notPreferred ? `; ${notPreferred} partition(s) are not led by their preferred replica` : ''}.`,
      cause: { config: what === 'leader' ? 'partition leadership' : 'replica assignment', value: perBroker },
      fix:
        what === 'leader'
          ? 'kafka-leader-election --bootstrap-server <brokers> --election-type preferred --all-topic-partitions; if the preferred replicas themselves are unbalanced, reassign them (kafka-reassign-partitions --generate).'
          : 'kafka-reassign-partitions --bootstrap-server <brokers> --generate --broker-list <all broker ids> --topics-to-move-json-file <topics>, then --execute with a throttle.',
    });
  }
  return out;
}

function leaderlessTopic(topic: SnapshotTopic): Finding {
  return {
    rule: 'offline-partitions',
    severity: 'critical',
    scope: 'partition',
    resource: topic.name,
    title: 'Partitions without a leader',
    detail: 'The brokers answer LEADER_NOT_AVAILABLE for this topic: at least one partition cannot be read or written, and its layout cannot be described until it has a leader again.',
    cause: { config: 'replica availability', value: 'no live replica can lead' },
    fix: 'Bring back the brokers holding its replicas (kafka-topics --describe --unavailable-partitions names them). Only if they are lost for good: kafka-leader-election --election-type unclean (accepts data loss).',
  };
}

function topicRules(s: ClusterSnapshot, topic: SnapshotTopic, t: AuditThresholds): Finding[] {
  if (topic.leaderless) return [leaderlessTopic(topic)];
  const out: Finding[] = [];
  const brokers = s.brokers.length;
  const live = new Set(s.brokers.map((b) => b.nodeId));
  const rf = replicationFactor(topic);
  const achievable = Math.min(t.minReplicationFactor, brokers);
  if (rf < achievable) {
    out.push({
      rule: 'replication-factor-low',
      severity: rf === 1 ? 'critical' : 'high',
      scope: 'topic',
      resource: topic.name,
      title: `Replication factor ${rf} on a cluster of ${brokers} brokers`,
      detail: rf === 1 ? 'Each partition lives on one broker: losing it loses the data and stops the partition.' : `Only ${rf - 1} broker loss(es) can be tolerated, and none while keeping min.insync.replicas 2.`,
      cause: { config: 'replication.factor', value: String(rf), source: 'TOPIC' },
      fix: `Raise the replication factor to ${achievable} with kafka-reassign-partitions --execute using the plan in remedy.reassignment (add --throttle on a busy cluster).`,
      remedy: { reassignment: raiseReplicationPlan(topic, [...live].sort((a, b) => a - b), achievable) },
    });
  }
  const minIsrConfig = configValue(topic, 'min.insync.replicas');
  const minIsr = Number(minIsrConfig.value ?? NaN);
  if (Number.isFinite(minIsr) && rf > 0) {
    if (minIsr > rf) {
      out.push({
        rule: 'min-insync-above-replication',
        severity: 'critical',
        scope: 'topic',
        resource: topic.name,
        title: `min.insync.replicas ${minIsr} is above the replication factor ${rf}`,
        detail: 'Every acks=all write is refused with NOT_ENOUGH_REPLICAS.',
        cause: { config: 'min.insync.replicas', value: minIsrConfig.value, source: minIsrConfig.source },
        fix: `Set min.insync.replicas=${Math.max(1, rf - 1)} on the topic (Admin node: Topic → Update Configs), or raise the replication factor.`,
        remedy: { config: { 'min.insync.replicas': String(Math.max(1, rf - 1)) } },
      });
    } else if (rf >= 3 && minIsr < 2) {
      out.push({
        rule: 'min-insync-too-low',
        severity: 'high',
        scope: 'topic',
        resource: topic.name,
        title: `min.insync.replicas ${minIsr} with replication factor ${rf}`,
        detail: 'An acks=all write is acknowledged as soon as the leader alone has it; if that leader then fails, the write is lost although the producer was told it succeeded.',
        cause: { config: 'min.insync.replicas', value: minIsrConfig.value, source: minIsrConfig.source },
        fix: 'Set min.insync.replicas=2 on the topic (Admin node: Topic → Update Configs) and produce with acks=all.',
        remedy: { config: { 'min.insync.replicas': '2' } },
      });
    } else if (rf >= 2 && minIsr === rf) {
      out.push({
        rule: 'min-insync-equals-replication',
        severity: 'medium',
        scope: 'topic',
        resource: topic.name,
        title: `min.insync.replicas equals the replication factor (${rf})`,
        detail: 'A single broker restart blocks every acks=all write to the topic.',
        cause: { config: 'min.insync.replicas', value: minIsrConfig.value, source: minIsrConfig.source },
        fix: `Set min.insync.replicas=${rf - 1}, or raise the replication factor to ${rf + 1}.`,
        remedy: { config: { 'min.insync.replicas': String(rf - 1) } },
      });
    }
  }
  const unclean = configValue(topic, 'unclean.leader.election.enable');
  // A broker-wide true is reported once for the cluster; here only what the topic itself sets.
  if (unclean.value === 'true' && unclean.source === 'TOPIC') {
    out.push({
      rule: 'unclean-leader-election',
      severity: 'high',
      scope: 'topic',
      resource: topic.name,
      title: 'Unclean leader election is enabled on the topic',
      detail: 'After a failure an out-of-sync replica may become leader and acknowledged messages are lost.',
      cause: { config: 'unclean.leader.election.enable', value: unclean.value, source: unclean.source },
      fix: 'Remove the override (Admin node: Topic → Update Configs, remove unclean.leader.election.enable) or set it to false.',
      remedy: { config: { 'unclean.leader.election.enable': 'false' } },
    });
  }
  const offline = topic.partitions.filter((p) => p.leader < 0 || !live.has(p.leader));
  if (offline.length) {
    out.push({
      rule: 'offline-partitions',
      severity: 'critical',
      scope: 'partition',
      resource: topic.name,
      title: `${offline.length} partition(s) have no leader`,
      detail: `Partitions ${offline.map((p) => `${p.partition} (replicas ${p.replicas.join(',')})`).join('; ')} cannot be read or written.`,
      cause: { config: 'replica availability', value: `offline replicas: ${[...new Set(offline.flatMap((p) => p.replicas.filter((r) => !live.has(r))))].join(', ') || 'none reported'}` },
      fix: 'Bring the brokers holding these replicas back. Only if they are lost for good: kafka-leader-election --election-type unclean for these partitions (accepts data loss).',
    });
  }
  const under = topic.partitions.filter((p) => !offline.includes(p) && p.isr.length < p.replicas.length);
  if (under.length) {
    const missing = [...new Set(under.flatMap((p) => p.replicas.filter((r) => !p.isr.includes(r))))].sort((a, b) => a - b);
    out.push({
      rule: 'under-replicated-partitions',
      severity: 'high',
      scope: 'partition',
      resource: topic.name,
      title: `${under.length} of ${topic.partitions.length} partition(s) are under-replicated`,
      detail: `Replicas out of sync: ${under.map((p) => `${p.partition} (isr ${p.isr.join(',')} of ${p.replicas.join(',')})`).join('; ')}.`,
      cause: { config: 'in-sync replicas', value: `brokers out of the ISR: ${missing.join(', ')}` },
      fix: `Check brokers ${missing.join(', ')} (down, disk full, network, replica.lag.time.max.ms); the partitions catch up on their own once the brokers are healthy.`,
    });
  }
  const recent = topic.partitions.reduce((sum, p) => sum + p.recentMessages, 0);
  const perSecond = s.windowMs > 0 ? recent / (s.windowMs / 1000) : 0;
  if (topic.partitions.length === 1 && s.windowMs > 0 && perSecond >= t.highThroughputPerSecond) {
    out.push({
      rule: 'single-partition-high-throughput',
      severity: 'medium',
      scope: 'topic',
      resource: topic.name,
      title: `One partition takes ${round(perSecond)} messages/s`,
      detail: `${recent} messages in the last ${round(s.windowMs / 1000)} s on a single partition: only one consumer of a group can read it, so consumption cannot scale out.`,
      cause: { config: 'partitions', value: '1' },
      fix: 'Add partitions (Admin node: Topic → Add Partitions; the Capacity operation sizes it). Records with the same key keep their order only from then on.',
    });
  }
  const sizes = topic.partitions.map(retained);
  const total = sizes.reduce((a, b) => a + b, 0);
  if (topic.partitions.length > 1 && total >= t.minMessagesForSkew) {
    const mean = total / topic.partitions.length;
    const largest = Math.max(...sizes);
    const index = sizes.indexOf(largest);
    if (largest / mean > t.partitionSkewRatio) {
      out.push({
        rule: 'partition-data-skew',
        severity: 'medium',
        scope: 'topic',
        resource: topic.name,
        title: `Partition ${topic.partitions[index].partition} holds ${round((100 * largest) / total)} % of the topic's messages`,
        detail: `Retained messages per partition: ${topic.partitions.map((p, i) => `${p.partition}: ${sizes[i]}`).join(', ')} (${round(largest / mean, 2)}× the mean). One consumer gets most of the work.`,
        cause: { config: 'message keys (partitioner)', value: 'a few keys carry most records' },
        fix: 'Spread the hot keys (add a suffix to the key, or key by a finer field); records without a key are spread by the producer.',
      });
    }
  }
  if (s.recordsSampled) {
    const plain = topic.partitions.filter((p) => p.lastProducerId === -1);
    if (plain.length) {
      out.push({
        rule: 'producer-without-idempotence',
        severity: 'medium',
        scope: 'topic',
        resource: topic.name,
        title: `The newest records of ${plain.length} partition(s) were written without idempotence`,
        detail: `Newest record batches of partitions ${plain.map((p) => p.partition).join(', ')} carry no producer id: a retried send may have written duplicates or reordered messages.`,
        cause: { config: 'enable.idempotence', value: 'false' },
        fix: 'Produce with enable.idempotence=true and acks=all (the default of Kafka clients since 3.0 and of the Kafka Producer (Suite) node; kafkajs needs idempotent: true).',
        remedy: { producerConfig: { 'enable.idempotence': 'true', acks: 'all' } },
      });
    }
  }
  return out;
}

function groupRules(s: ClusterSnapshot, group: SnapshotGroup): Finding[] {
  const out: Finding[] = [];
  const lag = group.offsets.reduce((sum, o) => sum + o.lag, 0);
  const topics = new Map(s.topics.map((topic) => [topic.name, topic]));
  if (group.members === 0 && lag > 0) {
    const lagging = [...new Set(group.offsets.filter((o) => o.lag > 0).map((o) => o.topic))].sort();
    const recent = lagging.reduce((sum, name) => sum + (topics.get(name)?.partitions.reduce((a, p) => a + p.recentMessages, 0) ?? 0), 0);
    // Nobody in the group commits, so every message appended in the window added to its lag.
    const growing = recent > 0;
    out.push({
      rule: growing ? 'group-without-members-lag-growing' : 'group-without-members-lag',
      severity: growing ? 'high' : 'low',
      scope: 'group',
      resource: group.groupId,
      title: growing
        ? `No consumer is running and lag grows: ${lag} messages behind, +${recent} in the last ${round(s.windowMs / 1000)} s`
        : `No consumer is running; ${lag} messages wait`,
      detail: `Group state ${group.state}, lag per topic: ${lagging.map((name) => `${name}: ${group.offsets.filter((o) => o.topic === name).reduce((a, o) => a + o.lag, 0)}`).join(', ')}.`,
      cause: { config: 'group members', value: '0' },
      fix: growing
        ? 'Start the consumers of this group (an inactive n8n workflow with a Kafka trigger?), or delete the group if it is abandoned (Admin node: Consumer Group → Delete).'
        : 'Start the consumers, or delete the group if it is abandoned; its committed offsets expire after offsets.retention.minutes.',
    });
  }
  if (group.members > 0) {
    const assigned = new Set(group.offsets.map((o) => o.topic));
    const partitions = [...assigned].reduce((sum, name) => sum + (topics.get(name)?.partitions.length ?? 0), 0);
    if (partitions > 0 && group.members > partitions) {
      out.push({
        rule: 'group-members-exceed-partitions',
        severity: 'low',
        scope: 'group',
        resource: group.groupId,
        title: `${group.members} members share ${partitions} partition(s): ${group.members - partitions} sit idle`,
        detail: `Topics read: ${[...assigned].sort().join(', ')}.`,
        cause: { config: 'partitions', value: String(partitions) },
        fix: 'Add partitions to match the consumer parallelism, or run fewer consumers.',
      });
    }
  }
  return out;
}

/** Every guardrail over the snapshot, worst first. Internal topics only count for broker skew. */
export function auditCluster(snapshot: ClusterSnapshot, thresholds: Partial<AuditThresholds> = {}): Finding[] {
  // Unset options arrive as undefined and must not erase the defaults.
  const t = { ...DEFAULT_THRESHOLDS, ...Object.fromEntries(Object.entries(thresholds).filter(([, v]) => v !== undefined)) } as AuditThresholds;
  const findings = [
    ...clusterRules(snapshot, t),
    ...snapshot.topics.filter((topic) => !isInternal(topic.name)).flatMap((topic) => topicRules(snapshot, topic, t)),
    ...snapshot.groups.flatMap((group) => groupRules(snapshot, group)),
  ];
  return findings.sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) || a.resource.localeCompare(b.resource) || a.rule.localeCompare(b.rule));
}

export function summarize(findings: Finding[]): Record<Severity, number> {
  const counts = Object.fromEntries(SEVERITY_ORDER.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) counts[f.severity]++;
  return counts;
}

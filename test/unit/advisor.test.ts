import { auditCluster, raiseReplicationPlan, type ClusterSnapshot } from '../../nodes/shared';
import type { SnapshotPartition, SnapshotTopic } from '../../nodes/shared/admin/advisor';

const part = (partition: number, replicas: number[], extra: Partial<SnapshotPartition> = {}): SnapshotPartition => ({
  partition,
  leader: replicas[0],
  replicas,
  isr: replicas,
  offlineReplicas: [],
  low: '0',
  high: '100',
  recentMessages: 0,
  ...extra,
});
const topic = (name: string, partitions: SnapshotPartition[], configs: Record<string, string> = {}): SnapshotTopic => ({
  name,
  partitions,
  configs: {
    'min.insync.replicas': { value: '1', source: 'DEFAULT' },
    'unclean.leader.election.enable': { value: 'false', source: 'DEFAULT' },
    ...Object.fromEntries(Object.entries(configs).map(([k, v]) => [k, { value: v, source: 'TOPIC' }])),
  },
});
const balanced = (name: string, minIsr = '2') =>
  topic(name, [part(0, [1, 2, 3]), part(1, [2, 3, 1]), part(2, [3, 1, 2])], { 'min.insync.replicas': minIsr });
const snapshot = (topics: SnapshotTopic[], extra: Partial<ClusterSnapshot> = {}): ClusterSnapshot => ({
  brokers: [1, 2, 3].map((nodeId) => ({ nodeId, host: `b${nodeId}`, port: 9092 })),
  controller: 1,
  brokerConfigs: { 'unclean.leader.election.enable': { value: 'false', source: 'DEFAULT' }, 'auto.create.topics.enable': { value: 'false', source: 'STATIC_BROKER' }, 'default.replication.factor': { value: '3', source: 'STATIC_BROKER' } },
  topics,
  groups: [],
  windowMs: 300_000,
  recordsSampled: true,
  ...extra,
});
const rules = (s: ClusterSnapshot) => auditCluster(s).map((f) => `${f.resource}:${f.rule}:${f.severity}`);

describe('advisor rules on a three-broker cluster', () => {
  test('a healthy cluster gives no finding', () => {
    expect(auditCluster(snapshot([balanced('orders'), balanced('payments')]))).toEqual([]);
  });

  test('replication factor 1 is critical and comes with a reassignment that spreads the new replicas', () => {
    const s = snapshot([topic('logs', [part(0, [1]), part(1, [2]), part(2, [3])]), balanced('orders')]);
    const [finding] = auditCluster(s);
    expect(finding).toMatchObject({ rule: 'replication-factor-low', severity: 'critical', resource: 'logs', cause: { config: 'replication.factor', value: '1' } });
    expect(finding.remedy?.reassignment).toEqual({
      version: 1,
      partitions: [
        { topic: 'logs', partition: 0, replicas: [1, 2, 3] },
        { topic: 'logs', partition: 1, replicas: [2, 1, 3] },
        { topic: 'logs', partition: 2, replicas: [3, 1, 2] },
      ],
    });
    expect(raiseReplicationPlan(topic('x', [part(0, [1, 2])]), [1, 2, 3, 4], 3).partitions[0].replicas).toEqual([1, 2, 3]);
  });

  test('min.insync.replicas: too low, equal to and above the replication factor', () => {
    const s = snapshot([balanced('low', '1'), balanced('equal', '3'), topic('above', [part(0, [1, 2])], { 'min.insync.replicas': '3' })]);
    const found = auditCluster(s);
    expect(found.map((f) => `${f.resource}:${f.rule}:${f.severity}`).sort()).toEqual([
      'above:min-insync-above-replication:critical',
      'above:replication-factor-low:high',
      'equal:min-insync-equals-replication:medium',
      'low:min-insync-too-low:high',
    ]);
    expect(found.find((f) => f.resource === 'low')?.remedy).toEqual({ config: { 'min.insync.replicas': '2' } });
    expect(found.find((f) => f.resource === 'equal')?.remedy).toEqual({ config: { 'min.insync.replicas': '2' } });
  });

  test('offline and under-replicated partitions name the partitions and the brokers out of sync', () => {
    const s = snapshot(
      [topic('t', [part(0, [1, 2, 3], { leader: -1, isr: [] }), part(1, [1, 2, 3], { isr: [1, 2] }), part(2, [2, 3, 1])], { 'min.insync.replicas': '2' })],
      { brokers: [1, 2, 3].map((nodeId) => ({ nodeId, host: `b${nodeId}`, port: 9092 })) },
    );
    const found = auditCluster(s);
    expect(found.map((f) => f.rule)).toEqual(['offline-partitions', 'under-replicated-partitions']);
    expect(found[0].detail).toContain('0 (replicas 1,2,3)');
    expect(found[1]).toMatchObject({ title: '1 of 3 partition(s) are under-replicated', cause: { value: 'brokers out of the ISR: 3' } });
  });

  test('a partition led by a broker that left the cluster is offline', () => {
    const s = snapshot([topic('t', [part(0, [4, 1, 2]), part(1, [1, 2, 3]), part(2, [2, 3, 1])], { 'min.insync.replicas': '2' })]);
    expect(rules(s)).toContain('t:offline-partitions:critical');
  });

  test('leaders all on one broker are a skew; replicas spread evenly are not', () => {
    const t = topic('t', [0, 1, 2, 3, 4, 5].map((i) => part(i, [[1, 2, 3], [2, 3, 1], [3, 1, 2]][i % 3], { leader: 1 })), { 'min.insync.replicas': '2' });
    const found = auditCluster(snapshot([t]));
    expect(found.map((f) => f.rule)).toEqual(['leader-skew']);
    expect(found[0]).toMatchObject({ resource: '1', title: 'Broker 1 holds 6 of 6 partition leaders (3× the mean)' });
    expect(found[0].detail).toContain('4 partition(s) are not led by their preferred replica');
  });

  test('broker-wide unsafe defaults are reported once for the cluster, not per topic', () => {
    const s = snapshot([balanced('a'), balanced('b')], {
      brokerConfigs: {
        'unclean.leader.election.enable': { value: 'true', source: 'STATIC_BROKER' },
        'auto.create.topics.enable': { value: 'true', source: 'DEFAULT' },
        'default.replication.factor': { value: '1', source: 'DEFAULT' },
      },
    });
    expect(rules(s)).toEqual(['cluster:unclean-leader-election:high', 'cluster:default-replication-factor-low:medium', 'cluster:auto-create-topics:low']);
  });

  test('throughput and skew thresholds: at the threshold reports, below does not', () => {
    const hot = (recent: number) => topic('hot', [part(0, [1, 2, 3], { recentMessages: recent })], { 'min.insync.replicas': '2' });
    expect(rules(snapshot([hot(300_000)]))).toEqual(['hot:single-partition-high-throughput:medium']);
    expect(rules(snapshot([hot(299_999)]))).toEqual([]);
    const skew = (big: string) => topic('s', [part(0, [1, 2, 3], { high: big }), part(1, [2, 3, 1], { high: '500' }), part(2, [3, 1, 2], { high: '500' })], { 'min.insync.replicas': '2' });
    expect(rules(snapshot([skew('2001')]))).toEqual(['s:partition-data-skew:medium']);
    expect(rules(snapshot([skew('2000')]))).toEqual([]);
  });

  test('idempotence is judged only when records were sampled', () => {
    const t = topic('p', [part(0, [1, 2, 3], { lastProducerId: -1 }), part(1, [2, 3, 1], { lastProducerId: 7 })], { 'min.insync.replicas': '2' });
    expect(rules(snapshot([t]))).toEqual(['p:producer-without-idempotence:medium']);
    expect(rules(snapshot([t], { recordsSampled: false }))).toEqual([]);
  });

  test('groups: growing lag without members is high, stale lag is low, surplus members are low', () => {
    const t = (recent: number) => topic('t', [part(0, [1, 2, 3], { recentMessages: recent }), part(1, [2, 3, 1])], { 'min.insync.replicas': '2' });
    const idle = { groupId: 'g', state: 'Empty', protocolType: 'consumer', members: 0, topics: ['t'], offsets: [{ topic: 't', partition: 0, committed: '40', logEnd: '100', lag: 60 }] };
    expect(rules(snapshot([t(5)], { groups: [idle] }))).toEqual(['g:group-without-members-lag-growing:high']);
    expect(rules(snapshot([t(0)], { groups: [idle] }))).toEqual(['g:group-without-members-lag:low']);
    const crowded = { ...idle, state: 'Stable', members: 5, offsets: [{ ...idle.offsets[0], lag: 0 }] };
    expect(auditCluster(snapshot([t(0)], { groups: [crowded] }))).toEqual([expect.objectContaining({ rule: 'group-members-exceed-partitions', title: '5 members share 2 partition(s): 3 sit idle' })]);
  });

  test('unset thresholds keep their defaults', () => {
    const hot = topic('hot', [part(0, [1, 2, 3], { recentMessages: 300_000 })], { 'min.insync.replicas': '2' });
    expect(auditCluster(snapshot([hot]), { highThroughputPerSecond: undefined }).map((f) => f.rule)).toEqual(['single-partition-high-throughput']);
  });

  test('leaderless topics and an unlistable cluster are critical findings, not failures', () => {
    const leaderless = { ...topic('gone', []), leaderless: true };
    expect(rules(snapshot([balanced('ok'), leaderless]))).toEqual(['gone:offline-partitions:critical']);
    expect(rules(snapshot([], { topicsUnavailable: true }))).toEqual(['cluster:offline-partitions:critical']);
    // Without the broker list there is no broker count to judge.
    expect(rules(snapshot([], { topicsUnavailable: true, brokersUnknown: true, brokers: [] }))).toEqual(['cluster:offline-partitions:critical']);
  });
});

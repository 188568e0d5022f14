// The advisor's audit on the real broker: each planted problem is found with its cause, and a
// healthy topic and a caught-up group get no finding at all.
import type { Producer } from 'kafkajs';
import { clientPool } from '../../../nodes/shared';
import { json, runNode, testKafka, unique, waitFor } from './harness';

const tk = testKafka();

afterAll(async () => {
  await idempotent?.disconnect();
  await clientPool.closeAll();
  await tk.closeAll();
});

let idempotent: Producer | undefined;
async function produceIdempotent(topic: string, messages: Array<{ partition?: number; value: string }>) {
  if (!idempotent) {
    idempotent = tk.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    await idempotent.connect();
  }
  await idempotent.send({ topic, acks: -1, messages });
}

/** All topics in one request; then waits until every partition has a leader. */
async function createTopics(topics: Array<{ topic: string; numPartitions: number; configEntries?: Array<{ name: string; value: string }> }>) {
  const admin = await tk.admin();
  await admin.createTopics({ topics: topics.map((t) => ({ ...t, replicationFactor: 1 })), waitForLeaders: false });
  await waitFor(
    async () => {
      const { topics: found } = await admin.fetchTopicMetadata({ topics: topics.map((t) => t.topic) }).catch(() => ({ topics: [] as Array<{ partitions: Array<{ leader: number }> }> }));
      return found.length === topics.length && found.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0));
    },
    { timeoutMs: 30_000, what: 'the new topics to have leaders' },
  );
}

const values = (n: number, partition?: number) => Array.from({ length: n }, (_, i) => ({ value: `m${i}`, ...(partition !== undefined ? { partition } : {}) }));

describe('Kafka Admin node: advisor audit', () => {
  test('finds every planted problem with its config and fix, and nothing on the healthy topic and group', async () => {
    const p = unique('adv');
    await createTopics([
      { topic: `${p}-unclean`, numPartitions: 1, configEntries: [{ name: 'unclean.leader.election.enable', value: 'true' }] },
      { topic: `${p}-minisr`, numPartitions: 1, configEntries: [{ name: 'min.insync.replicas', value: '2' }] },
      { topic: `${p}-hot`, numPartitions: 1 },
      { topic: `${p}-plain`, numPartitions: 2 },
      { topic: `${p}-skew`, numPartitions: 3 },
      { topic: `${p}-lagging`, numPartitions: 3 },
      { topic: `${p}-healthy`, numPartitions: 3 },
    ]);

    await produceIdempotent(`${p}-hot`, values(900));
    // kafkajs' default producer is not idempotent: its batches carry producer id -1.
    await tk.produce(`${p}-plain`, values(20));
    await produceIdempotent(`${p}-skew`, values(1500, 0));
    await produceIdempotent(`${p}-skew`, values(10, 1));
    await produceIdempotent(`${p}-healthy`, [...values(400, 0), ...values(400, 1), ...values(400, 2)]);
    await produceIdempotent(`${p}-lagging`, values(30, 0));
    // An abandoned group: committed once, no member since, and the topic keeps receiving messages.
    await tk.commit(`${p}-idle`, `${p}-lagging`, [{ partition: 0, offset: '10' }]);
    await produceIdempotent(`${p}-lagging`, values(30, 0));
    // A caught-up group without members is not a problem.
    await tk.commit(`${p}-ok`, `${p}-healthy`, [0, 1, 2].map((partition) => ({ partition, offset: '400' })));

    // 900 messages in a 5-minute window is 3 msg/s: above a threshold of 2.
    const [item] = await runNode({ resource: 'advisor', operation: 'audit', topicFilter: `${p}-*`, output: 'report', options: { highThroughputPerSecond: 2, windowMinutes: 5 } });
    const report = item.json as Record<string, any>;
    const findings = report.findings as Array<Record<string, any>>;
    const mine = (resource: string) => findings.filter((f) => f.resource === resource).map((f) => f.rule).sort();

    expect(report.checked).toMatchObject({ brokers: 1, topics: 7, recordsSampled: true });
    expect(mine(`${p}-unclean`)).toEqual(['unclean-leader-election']);
    expect(mine(`${p}-minisr`)).toEqual(['min-insync-above-replication']);
    expect(mine(`${p}-hot`)).toEqual(['single-partition-high-throughput']);
    expect(mine(`${p}-plain`)).toEqual(['producer-without-idempotence']);
    expect(mine(`${p}-skew`)).toEqual(['partition-data-skew']);
    expect(mine(`${p}-lagging`)).toEqual([]);
    expect(mine(`${p}-idle`)).toEqual(['group-without-members-lag-growing']);
    expect(mine(`${p}-healthy`)).toEqual([]);
    expect(mine(`${p}-ok`)).toEqual([]);
    expect(report.topicsWithoutFindings.sort()).toEqual([`${p}-healthy`, `${p}-lagging`]);
    // One broker: replication factor 3 is impossible, said once for the cluster rather than per topic.
    expect(findings.filter((f) => f.rule === 'too-few-brokers')).toEqual([expect.objectContaining({ scope: 'cluster', severity: 'high', cause: { config: 'broker count', value: '1' } })]);
    expect(findings.filter((f) => f.rule === 'replication-factor-low')).toEqual([]);

    const byRule = (resource: string) => findings.find((f) => f.resource === resource)!;
    expect(byRule(`${p}-unclean`)).toMatchObject({ severity: 'high', cause: { config: 'unclean.leader.election.enable', value: 'true', source: 'TOPIC' }, remedy: { config: { 'unclean.leader.election.enable': 'false' } } });
    expect(byRule(`${p}-minisr`)).toMatchObject({ severity: 'critical', cause: { config: 'min.insync.replicas', value: '2', source: 'TOPIC' }, remedy: { config: { 'min.insync.replicas': '1' } } });
    expect(byRule(`${p}-hot`)).toMatchObject({ title: 'One partition takes 3 messages/s', cause: { config: 'partitions', value: '1' } });
    expect(byRule(`${p}-plain`)).toMatchObject({ cause: { config: 'enable.idempotence', value: 'false' }, detail: expect.stringContaining('partitions 0, 1') });
    expect(byRule(`${p}-skew`).detail).toContain('0: 1500, 1: 10, 2: 0');
    expect(byRule(`${p}-idle`)).toMatchObject({ severity: 'high', title: expect.stringMatching(/^No consumer is running and lag grows: 50 messages behind, \+60 in the last 300 s$/) });
    expect(report.healthy).toBe(false);
    expect(report.summary.critical).toBeGreaterThanOrEqual(1);

    // The throwaway group that read the newest records is gone and never reported.
    const { groups } = await (await tk.admin()).listGroups();
    expect(groups.filter((g) => g.groupId.startsWith('kafka-suite-audit-'))).toEqual([]);
  });

  test('one item per finding, filtered by severity, with the fix applied through the node the finding disappears', async () => {
    const p = unique('adv-fix');
    await createTopics([{ topic: `${p}-minisr`, numPartitions: 1, configEntries: [{ name: 'min.insync.replicas', value: '3' }] }]);
    const audit = async () =>
      json(await runNode({ resource: 'advisor', operation: 'audit', topicFilter: `${p}-*`, output: 'findings', options: { minSeverity: 'critical', sampleRecords: false } }));
    const before = await audit();
    expect(before.map((f) => [f.rule, f.resource])).toEqual([['min-insync-above-replication', `${p}-minisr`]]);
    expect(before.every((f) => f.severity === 'critical')).toBe(true);
    const remedy = before[0].remedy.config as Record<string, string>;
    await runNode({ resource: 'topic', operation: 'updateConfigs', topic: `${p}-minisr`, configs: { config: Object.entries(remedy).map(([name, value]) => ({ name, value })) } });
    // The broker applies a config change from the metadata log a moment after acknowledging it.
    await waitFor(async () => (await audit()).length === 0 || undefined, { timeoutMs: 15_000, what: 'the audit to stop reporting the fixed topic' });
  });
});

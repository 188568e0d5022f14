// The advisor on a real three-broker cluster: leadership skew, replication below 3 and a low
// min.insync.replicas while all brokers run (the healthy topic clean), then under-replicated
// partitions after one broker is killed.
import type { IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { KafkaSuiteAdmin } from '../../../nodes/KafkaSuiteAdmin/KafkaSuiteAdmin.node';
import { clientPool } from '../../../nodes/shared';
import { createExecuteContext, waitFor } from '../../helpers/n8nContext';
import { startThreeBrokers, type ThreeBrokers } from './threeBrokers';

let cluster: ThreeBrokers;
let admin: Admin;

beforeAll(async () => {
  cluster = await startThreeBrokers();
  admin = new Kafka({ clientId: 'advisor-3b', brokers: cluster.bootstrap.split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
}, 180_000);

afterAll(async () => {
  await admin?.disconnect();
  await clientPool.closeAll();
  await cluster?.stop();
});

async function audit(): Promise<Array<Record<string, any>>> {
  const context = createExecuteContext({
    parameters: { resource: 'advisor', operation: 'audit', topicFilter: 'adv3-*', output: 'findings', options: { sampleRecords: false } },
    credentials: { kafkaSuiteClusterApi: { platform: 'apache', brokers: cluster.bootstrap, securityProtocol: 'plaintext', clientId: 'advisor-3b-node' } },
  });
  const [items] = (await (new KafkaSuiteAdmin().nodeVersions[1] as INodeType).execute!.call(context as unknown as IExecuteFunctions)) as INodeExecutionData[][];
  return items.map((i) => i.json as Record<string, any>);
}

const byResource = (findings: Array<Record<string, any>>) => {
  const out: Record<string, string[]> = {};
  for (const f of findings) (out[f.resource] ??= []).push(f.rule);
  for (const rules of Object.values(out)) rules.sort();
  return out;
};

test('planted problems on three brokers, before and after a broker dies', async () => {
  const rf3 = (n: number, rotate: boolean) => Array.from({ length: n }, (_, partition) => ({ partition, replicas: rotate ? [1, 2, 3].map((_, i) => ((partition + i) % 3) + 1) : [1, 2, 3] }));
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      // Spread leaders, RF 3, min.insync.replicas 2 (the broker default): nothing to say.
      { topic: 'adv3-healthy', replicaAssignment: rf3(3, true) },
      // Every partition prefers broker 1: leadership piles up there.
      { topic: 'adv3-leaders', replicaAssignment: rf3(6, false) },
      { topic: 'adv3-lowisr', replicaAssignment: [{ partition: 0, replicas: [2, 3, 1] }], configEntries: [{ name: 'min.insync.replicas', value: '1' }] },
      { topic: 'adv3-rf2', replicaAssignment: [{ partition: 0, replicas: [1, 2] }], configEntries: [{ name: 'min.insync.replicas', value: '1' }] },
    ],
  });

  const before = await audit();
  expect(byResource(before)).toEqual({
    '1': ['leader-skew'],
    'adv3-lowisr': ['min-insync-too-low'],
    'adv3-rf2': ['replication-factor-low'],
  });
  const rf2 = before.find((f) => f.rule === 'replication-factor-low')!;
  expect(rf2).toMatchObject({ severity: 'high', cause: { config: 'replication.factor', value: '2' } });
  expect(rf2.remedy.reassignment.partitions).toEqual([{ topic: 'adv3-rf2', partition: 0, replicas: [1, 2, 3] }]);
  expect(before.find((f) => f.rule === 'leader-skew')).toMatchObject({ title: 'Broker 1 holds 8 of 11 partition leaders (2.18× the mean)' });

  cluster.kill(3);
  // The controller fences broker 3 after its session (3 s here), moves leadership and shrinks the ISRs.
  const canonical = (o: Record<string, string[]>) => JSON.stringify(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
  const auditUntil = async (expected: Record<string, string[]>, what: string) => {
    let last: Array<Record<string, any>> = [];
    await waitFor(
      async () => {
        last = await audit();
        return canonical(byResource(last)) === canonical(expected) || undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500, what },
    ).catch((error: Error) => {
      throw new Error(`${error.message}; last findings: ${JSON.stringify(byResource(last))}`);
    });
    return last;
  };
  const after = await auditUntil(
    {
      cluster: ['too-few-brokers'],
      '1': ['leader-skew'],
      'adv3-healthy': ['under-replicated-partitions'],
      'adv3-leaders': ['under-replicated-partitions'],
      'adv3-lowisr': ['min-insync-too-low', 'under-replicated-partitions'],
    },
    'the audit to see the under-replicated partitions',
  );
  expect(after.find((f) => f.resource === 'adv3-healthy')).toMatchObject({ severity: 'high', title: '3 of 3 partition(s) are under-replicated', cause: { value: 'brokers out of the ISR: 3' } });
});

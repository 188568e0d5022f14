// Share groups in the Admin and Lag Check nodes (issue 13, item 3), driven like n8n drives them, on an
// isolated Kafka 4.4.0 broker and a kafkajs credential (share groups are served by the suite's own
// protocol client whatever the library): 3 partitions, N records, some accepted by a share consumer;
// Lag Check reports the share lag per partition, Admin describe shows the member, a reset under a
// member is refused, a dry run changes nothing, a reset of the empty group moves the start offsets and
// its undo restores them (the start offsets; acknowledgements beyond them are not restored). Runs under Node 24:
//   node scripts/node24.mjs jest --selectProjects integration --runTestsByPath test/integration/shareGroup/adminLag.test.ts
import { randomUUID } from 'node:crypto';
import type { IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';
import { Kafka, logLevel } from 'kafkajs';
import { KafkaSuiteAdmin } from '../../../nodes/KafkaSuiteAdmin/KafkaSuiteAdmin.node';
import { KafkaSuiteLagCheck } from '../../../nodes/KafkaSuiteLagCheck/KafkaSuiteLagCheck.node';
import { clientPool } from '../../../nodes/shared';
import { ShareClient } from '../../../nodes/shared/kafka/shareGroup/client';
import { ShareConsumer, type ShareOutcome } from '../../../nodes/shared/kafka/shareGroup/consumer';
import { createExecuteContext, waitFor } from '../../helpers/n8nContext';
import { shareGroupBroker, type ShareBroker } from './broker';

const PARTITIONS = 3;
const PER_PARTITION = process.env.KAFKA_SUITE_FULL === '1' ? 200 : 10;
const N = PARTITIONS * PER_PARTITION;
/** Records accepted before the consumer holds the rest. */
const ACCEPTED = Math.floor(N / 2);

let broker: ShareBroker;
let client: ShareClient;
const hanging: Array<() => void> = [];
let consumer: ShareConsumer | undefined;

beforeAll(async () => {
  broker = await shareGroupBroker('admin-lag');
  client = new ShareClient({ brokers: [broker.bootstrap], clientId: 'share-admin-lag-test' });
}, 180_000);

afterAll(async () => {
  for (const resolve of hanging.splice(0)) resolve();
  await consumer?.stop(5_000);
  await client?.close();
  await clientPool.closeAll();
  await broker?.dispose();
});

const credential = () => ({ platform: 'apache', brokers: broker.bootstrap, securityProtocol: 'plaintext', clientId: 'share-admin-lag-test' });

async function run(node: INodeType, parameters: Record<string, unknown>, staticData = {}): Promise<Array<Record<string, any>>> {
  const context = createExecuteContext({ parameters, credentials: { kafkaSuiteClusterApi: credential() }, staticData, node: { name: 'Node Under Test' } });
  const result = (await node.execute!.call(context as unknown as IExecuteFunctions)) as INodeExecutionData[][];
  return result[0].map((i) => i.json as Record<string, any>);
}
const admin = (parameters: Record<string, unknown>) => run(new KafkaSuiteAdmin().nodeVersions[1] as INodeType, { resource: 'shareGroup', ...parameters });
const lagCheckNode = new KafkaSuiteLagCheck().nodeVersions[1] as INodeType;
const lagStatic = {};
const lagCheck = (groupId: string) =>
  run(lagCheckNode, { resource: 'consumerGroup', operation: 'checkLag', groupType: 'share', groups: groupId, windowSize: 10, allowedLag: 0, output: 'partitions', options: {} }, lagStatic);

/** Start offsets as the broker reports them, per partition. */
async function startOffsets(groupId: string, topic: string): Promise<string[]> {
  const offsets = await client.describeOffsets(groupId, [{ topicName: topic, partitions: [0, 1, 2] }]);
  return offsets.topics[0].partitions.sort((a, b) => a.partitionIndex - b.partitionIndex).map((p) => p.startOffset.toString());
}

test('Lag Check share lag, Admin describe / reset (dry run, refused while active, applied) / undo', async () => {
  const t0 = Date.now();
  const topic = `share-admin-${randomUUID()}`;
  const groupId = `share-admin-${randomUUID()}`;
  const kafka = new Kafka({ clientId: 'share-admin-lag-test', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
  const kAdmin = kafka.admin();
  const producer = kafka.producer();
  await Promise.all([kAdmin.connect(), producer.connect()]);
  try {
    await kAdmin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }], waitForLeaders: true });
    const messages = Array.from({ length: N }, (_, i) => ({ value: `m${i}`, partition: i % PARTITIONS }));
    for (let i = 0; i < N; i += 100) await producer.send({ topic, messages: messages.slice(i, i + 100) });
  } finally {
    await Promise.all([kAdmin.disconnect(), producer.disconnect()]);
  }
  await client.setGroupConfig(groupId, { 'share.auto.offset.reset': 'earliest' });

  // The consumer accepts ACCEPTED records, then holds what it acquires until the end of the test part.
  const acceptedPer = new Array<number>(PARTITIONS).fill(0);
  let accepted = 0;
  consumer = new ShareConsumer(client, { groupId, topics: [topic], concurrency: 3 }, async (record): Promise<ShareOutcome> => {
    if (accepted < ACCEPTED) {
      accepted++;
      acceptedPer[record.partition]++;
      return { type: 'accept' };
    }
    return await new Promise<ShareOutcome>((resolve) => hanging.push(() => resolve({ type: 'release' })));
  });
  await consumer.start();
  await waitFor(() => accepted === ACCEPTED && hanging.length > 0, { timeoutMs: 30_000, what: `${ACCEPTED} accepted and some held` });
  const expectedLag = acceptedPer.map((n) => PER_PARTITION - n);

  // Lag Check: one row per share-partition; the lag is what is not acknowledged (held records count).
  let rows: Array<Record<string, any>> = [];
  await waitFor(
    async () => {
      rows = await lagCheck(groupId);
      return JSON.stringify(rows.map((r) => r.lag)) === JSON.stringify(expectedLag);
    },
    { timeoutMs: 20_000, intervalMs: 500, what: `share lag ${JSON.stringify(expectedLag)} (last: ${JSON.stringify(rows.map((r) => r.lag))})` },
  );
  expect(rows.map((r) => [r.group, r.topic, r.partition, r.logEndOffset, r.lag])).toEqual(expectedLag.map((lag, p) => [groupId, topic, p, PER_PARTITION, lag]));
  expect(rows.reduce((n, r) => n + r.lag, 0)).toBe(N - ACCEPTED);

  // Admin: list and describe show the group and its member with the 3 partitions.
  expect(await admin({ operation: 'list', nameFilter: groupId, states: [] })).toEqual([{ groupId, state: 'Stable', groupEpoch: expect.any(Number), members: 1 }]);
  const [described] = await admin({ operation: 'describe', shareGroupId: groupId });
  expect(described).toMatchObject({ groupId, groupType: 'share', state: 'Stable', totalLag: N - ACCEPTED });
  expect(described.members).toHaveLength(1);
  expect(described.members[0]).toMatchObject({ clientId: 'share-admin-lag-test', subscribedTopics: [topic], assignment: [{ topic, partitions: [0, 1, 2] }] });
  expect(described.groupEpoch).toBeGreaterThan(0);
  expect(described.offsets.map((o: any) => [o.partition, o.lag, o.logEndOffset, o.memberIds])).toEqual(
    expectedLag.map((lag, p) => [p, lag, String(PER_PARTITION), [described.members[0].memberId]]),
  );

  // A reset of the active group is refused with the reason, and changes nothing.
  const before = await startOffsets(groupId, topic);
  await expect(admin({ operation: 'resetStartOffsets', shareGroupId: groupId, topics: topic, target: 'latest', dryRun: false, confirmation: groupId })).rejects.toThrow(
    /is active \(state Stable, 1 member\(s\)\).*refuses to change the start offsets/,
  );
  expect(await startOffsets(groupId, topic)).toEqual(before);

  // The member leaves (its held records are released), the group becomes empty.
  for (const resolve of hanging.splice(0)) resolve();
  await consumer.stop(10_000);
  consumer = undefined;
  await waitFor(async () => (await admin({ operation: 'describe', shareGroupId: groupId }))[0].state === 'Empty', { timeoutMs: 30_000, intervalMs: 500, what: 'the group empty' });
  const start = await startOffsets(groupId, topic);

  // Dry run (the default): the plan, the undo snapshot, nothing changed.
  const [dry] = await admin({ operation: 'resetStartOffsets', shareGroupId: groupId, topics: '', target: 'latest' });
  expect(dry).toMatchObject({ groupId, groupType: 'share', dryRun: true, applied: false, groupState: 'Empty', activeMembers: 0 });
  expect(dry.partitions.map((p: any) => [p.topic, p.partition, p.before, p.after])).toEqual(start.map((s, p) => [topic, p, s, String(PER_PARTITION)]));
  expect(dry.undo).toEqual({ groupId, offsets: start.map((offset, partition) => ({ topic, partition, offset })), uncommitted: [] });
  expect(await startOffsets(groupId, topic)).toEqual(start);

  // Applied: the start offsets move to the log end and the share lag drops to 0.
  const [applied] = await admin({ operation: 'resetStartOffsets', shareGroupId: groupId, topics: topic, target: 'latest', dryRun: false, confirmation: groupId });
  expect(applied).toMatchObject({ dryRun: false, applied: true, verified: true });
  expect(await startOffsets(groupId, topic)).toEqual([String(PER_PARTITION), String(PER_PARTITION), String(PER_PARTITION)]);
  expect((await lagCheck(groupId)).map((r) => r.lag)).toEqual([0, 0, 0]);

  // Undo: Set Start Offsets with the snapshot the reset returned puts every partition back.
  const [undone] = await admin({ operation: 'setStartOffsets', shareGroupId: groupId, offsets: JSON.stringify(applied.undo), dryRun: false, confirmation: groupId });
  expect(undone).toMatchObject({ applied: true, verified: true });
  expect(await startOffsets(groupId, topic)).toEqual(start);
  const lagAfterUndo = (await lagCheck(groupId)).map((r) => r.lag);
  console.log(
    `share admin/lag: ${N} records on ${PARTITIONS} partitions, ${ACCEPTED} accepted, lag ${JSON.stringify(expectedLag)}, start offsets ${JSON.stringify(start)}, ` +
      `lag after undo ${JSON.stringify(lagAfterUndo)}, ${Date.now() - t0} ms`,
  );
  // The broker keeps no per-record state across an alter: from the restored start offset every record
  // is available again, so the lag is the log end less the start offset (records accepted beyond the
  // start offset before the reset are delivered again).
  expect(lagAfterUndo).toEqual(start.map((s) => PER_PARTITION - Number(s)));
}, 120_000);

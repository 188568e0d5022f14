// The Trigger's Group Protocol option: "consumer" (KIP-848) on the Kafka 4.x broker of `npm test`.
// The group must be a group of type "consumer" on the broker (not a classic group), every message
// must reach an execution, and two Triggers in the group must split the partitions between them.
// KIP-848 needs Kafka 4.0+, so test/setup/run-on-kafka.mjs leaves this file out on 3.x.
import type { Admin, Kafka } from 'kafkajs';
import { clientPool, openConnection, type KafkaClusterCredential } from '../../../nodes/shared';
import { waitFor, type EmittedExecution } from '../../helpers/n8nContext';
import { clusterCredential, committedOffsets, createTopic, openAdmin, rawKafka, startTrigger, unique, type RunningTrigger } from './harness';

let kafka: Kafka;
let admin: Admin;
beforeAll(async () => {
  kafka = rawKafka();
  admin = await openAdmin(kafka);
});
afterAll(async () => {
  await admin.disconnect();
  await clientPool.closeAll();
});

const PARTITIONS = 4;

async function produce(topic: string, count: number, prefix: string): Promise<string[]> {
  const values = Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
  const producer = kafka.producer();
  await producer.connect();
  // Spread over every partition explicitly, so each member has records whatever it owns.
  await producer.send({ topic, messages: values.map((value, i) => ({ value, partition: i % PARTITIONS })) });
  await producer.disconnect();
  return values;
}

const parameters = (topic: string, groupId: string) => ({
  topicSelection: 'names',
  topics: topic,
  groupId,
  startFrom: 'earliest',
  deliveryMode: 'afterSuccess',
  valueFormat: 'string',
  options: { groupProtocol: 'consumer', batchSize: 10, batchWindowMs: 200 },
});

interface Seen {
  values: string[];
  partitions: Set<number>;
}

function recorder(seen: Seen) {
  return (execution: EmittedExecution) => {
    for (const item of execution.data[0] ?? []) {
      seen.values.push(String(item.json.value));
      seen.partitions.add(Number(item.json.partition));
    }
    return 'success' as const;
  };
}

async function groupType(groupId: string): Promise<string | undefined> {
  const connection = openConnection(clusterCredential() as KafkaClusterCredential);
  const groups = await connection.withAdmin((kafkaAdmin) => kafkaAdmin.listGroups());
  return groups.find((group) => group.groupId === groupId)?.groupType;
}

test('Group Protocol "consumer": the group is a KIP-848 group, every message runs, offsets are committed', async () => {
  const topic = await createTopic(admin, unique('kip848-trigger'), PARTITIONS);
  const groupId = unique('kip848-group');
  const sent = await produce(topic, 40, 'a');
  const seen: Seen = { values: [], partitions: new Set() };
  const trigger = await startTrigger(parameters(topic, groupId), recorder(seen));
  try {
    await waitFor(() => new Set(seen.values).size === sent.length, { what: 'all 40 messages in executions', timeoutMs: 60_000 });
    expect(await groupType(groupId)).toBe('consumer');
    await waitFor(async () => Object.values(await committedOffsets(admin, groupId, topic)).every((offset) => offset === '10'), {
      what: 'offset 10 committed on each of the 4 partitions',
      timeoutMs: 30_000,
    });
  } finally {
    await trigger.close();
  }
  expect([...seen.values].sort()).toEqual([...sent].sort());
  expect(seen.partitions.size).toBe(PARTITIONS);
}, 120_000);

test('Group Protocol "consumer": a second Trigger gets partitions of its own, and no message is lost', async () => {
  const topic = await createTopic(admin, unique('kip848-split'), PARTITIONS);
  const groupId = unique('kip848-split-group');
  const first = await produce(topic, 40, 'before');
  const seenA: Seen = { values: [], partitions: new Set() };
  const seenB: Seen = { values: [], partitions: new Set() };
  const triggers: RunningTrigger[] = [];
  try {
    triggers.push(await startTrigger(parameters(topic, groupId), recorder(seenA)));
    await waitFor(() => new Set(seenA.values).size === first.length, { what: 'member A to run the first 40', timeoutMs: 60_000 });
    triggers.push(await startTrigger(parameters(topic, groupId), recorder(seenB)));
    // The broker moves partitions to B once A has revoked them; new records then reach both members.
    const deadline = Date.now() + 60_000;
    const all = [...first];
    let round = 0;
    while (seenB.partitions.size === 0 || seenA.partitions.size === 0) {
      if (Date.now() > deadline) throw new Error(`the second member got no partitions within 60 s (A: ${[...seenA.partitions]}, B: ${[...seenB.partitions]})`);
      seenA.partitions.clear();
      all.push(...(await produce(topic, PARTITIONS * 2, `after-${round++}`)));
      await waitFor(() => new Set([...seenA.values, ...seenB.values]).size === new Set(all).size, { what: 'the new records in executions', timeoutMs: 30_000 });
    }
    const union = new Set([...seenA.values, ...seenB.values]);
    expect([...union].sort()).toEqual([...all].sort());
    // At-least-once lets a partition that moved run its last batch twice, never more than that batch.
    expect(seenA.values.length + seenB.values.length - all.length).toBeLessThanOrEqual(10 * PARTITIONS);
    expect(await groupType(groupId)).toBe('consumer');
  } finally {
    await Promise.all(triggers.map((trigger) => trigger.close()));
  }
}, 180_000);
